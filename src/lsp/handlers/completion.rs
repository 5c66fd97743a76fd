//! `textDocument/completion`: what may be written at the cursor. Inside `pipeline { }` and its
//! blocks, the sections and directives valid there (and the option, trigger, parameter, tool,
//! agent and `when` types of the model's catalogue); inside `steps { }`, a `post` condition,
//! `script { }` or a scripted pipeline, step names and globals; inside a step's arguments, its
//! named parameters; after `env.`, `params.` or `currentBuild.`, their members (with the
//! variables and parameters this file defines). Works on text that does not parse.

use lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind, Position,
};

use crate::lsp::document::Document;
use crate::lsp::scan::{self, Open, Token};
use crate::lsp::sections;
use crate::model::catalogue::{Catalogue as Declarative, Kind};
use crate::stdlib::Catalogue;

/// The completions at `position`, unfiltered by the typed prefix (editors filter).
/// `library` holds the shared-library globals, offered wherever step names are.
#[must_use]
pub fn completion(
    doc: &Document,
    position: Position,
    declarative: &Declarative,
    library: &[CompletionItem],
) -> Vec<CompletionItem> {
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        start -= 1;
    }
    let cx = scan::context(text, start);
    if cx.in_string_or_comment && !cx.in_interpolation(text, start) {
        return Vec::new();
    }
    let cat = Catalogue::builtin();
    if text[..start].ends_with('.') {
        // `"$env.|"`: the `$` opens the interpolation, it is not part of the name.
        let in_string = cx.in_string_or_comment;
        return scan::receiver(text, start).map_or_else(Vec::new, |r| {
            members(
                text,
                if in_string {
                    r.trim_start_matches('$')
                } else {
                    r
                },
            )
        });
    }
    let call = cx.call().map(str::to_owned).or_else(|| {
        scan::line_call(text, start)
            .filter(|name| cat.is_known(name))
            .map(str::to_owned)
    });
    if let Some(call) = call {
        // Parameters already written in the call are not offered again.
        let given = given_names(text, start, cx.call().is_some());
        // `timeout(|` inside `options { }` is the option's parameters, not the step's.
        let kind = directive_kind(cx.block().unwrap_or(""));
        if let Some(d) = kind.and_then(|k| declarative.get(k, &call))
            && !d.params.is_empty()
        {
            return d
                .params
                .iter()
                .filter(|p| !given.contains(&p.name.as_str()))
                .map(|p| CompletionItem {
                    label: p.name.clone(),
                    kind: Some(CompletionItemKind::FIELD),
                    detail: Some(format!(
                        "{:?}{}",
                        p.ty,
                        if p.required { ", required" } else { "" }
                    )),
                    insert_text: Some(format!("{}: ", p.name)),
                    ..CompletionItem::default()
                })
                .collect();
        }
        let mut params = named_params(cat, &call);
        if !params.is_empty() || cx.call().is_some() {
            params.retain(|p| !given.contains(&p.label.as_str()));
            return params;
        }
    }
    let blocks = cx.blocks();
    let block = blocks.last().copied().unwrap_or("");
    let in_when = blocks.contains(&"when");
    let in_stage = blocks.contains(&"stage");
    match block {
        "pipeline" | "stage" | "matrix" | "stages" | "parallel" | "axes" => sections::SECTIONS
            .iter()
            .filter(|s| s.parents.contains(&block) && s.name != "script")
            .map(|s| keyword(s.name, s.doc, CompletionItemKind::MODULE))
            .collect(),
        "post" => sections::POST_DOCS
            .iter()
            .map(|(name, doc)| keyword(name, doc, CompletionItemKind::EVENT))
            .collect(),
        "when" | "allOf" | "anyOf" | "not" if in_when => {
            let mut names = declarative.names(Kind::When);
            if block == "when" {
                names.extend(["beforeAgent", "beforeInput", "beforeOptions"]);
            }
            names
                .into_iter()
                .map(|n| {
                    keyword(
                        n,
                        sections::when_doc(n).unwrap_or(""),
                        CompletionItemKind::KEYWORD,
                    )
                })
                .collect()
        }
        "options" | "triggers" | "parameters" | "tools" | "agent" => {
            let names = match block {
                "options" if in_stage => declarative.stage_option_names(),
                "options" => declarative.names(Kind::Option),
                "triggers" => declarative.names(Kind::Trigger),
                "parameters" => declarative.names(Kind::Parameter),
                "tools" => declarative.names(Kind::Tool),
                _ => declarative.names(Kind::Agent),
            };
            let kind = directive_kind(block);
            names
                .into_iter()
                .map(|n| {
                    let mut item = keyword(n, "", CompletionItemKind::VALUE);
                    if let Some(d) = kind.and_then(|k| declarative.get(k, n)) {
                        let params: Vec<&str> = d.params.iter().map(|p| p.name.as_str()).collect();
                        item.detail = Some(format!("plugin {}: {}", d.plugin, params.join(", ")));
                    }
                    item
                })
                .collect()
        }
        "environment" => Vec::new(),
        "" => {
            let mut items = vec![keyword(
                "pipeline",
                sections::SECTIONS[0].doc,
                CompletionItemKind::MODULE,
            )];
            items.extend(steps_and_globals(cat, library));
            items
        }
        _ => steps_and_globals(cat, library),
    }
}

/// The catalogue kind whose types a directive block holds.
fn directive_kind(block: &str) -> Option<Kind> {
    match block {
        "options" => Some(Kind::Option),
        "triggers" => Some(Kind::Trigger),
        "parameters" => Some(Kind::Parameter),
        "tools" => Some(Kind::Tool),
        "agent" => Some(Kind::Agent),
        _ => None,
    }
}

fn keyword(name: &str, doc: &str, kind: CompletionItemKind) -> CompletionItem {
    CompletionItem {
        label: name.to_owned(),
        kind: Some(kind),
        documentation: (!doc.is_empty()).then(|| markdown(doc.to_owned())),
        ..CompletionItem::default()
    }
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

fn steps_and_globals(cat: &Catalogue, library: &[CompletionItem]) -> Vec<CompletionItem> {
    let steps = cat.steps.values().map(|step| CompletionItem {
        label: step.name.clone(),
        kind: Some(CompletionItemKind::FUNCTION),
        detail: Some(step.signature()),
        documentation: Some(markdown(step.summary().to_owned())),
        ..CompletionItem::default()
    });
    let globals = cat.globals.values().map(|g| CompletionItem {
        label: g.name.clone(),
        kind: Some(CompletionItemKind::VARIABLE),
        detail: Some(g.ty.clone()),
        documentation: Some(markdown(g.doc.clone())),
        ..CompletionItem::default()
    });
    steps
        .chain(globals)
        .chain(library.iter().cloned())
        .collect()
}

/// `name: ` for each parameter of the step or symbol being called.
/// The `name:` keys already written in the call around `at`: from its unclosed `(` to the
/// matching `)` (`parens`), or over the line of a call written without parentheses.
fn given_names(text: &str, at: usize, parens: bool) -> Vec<&str> {
    let bytes = text.as_bytes();
    let (mut from, mut to) = (at, at);
    if parens {
        let mut depth = 0usize;
        while from > 0 {
            match bytes[from - 1] {
                b')' | b']' | b'}' => depth += 1,
                b'(' | b'[' | b'{' if depth == 0 => break,
                b'(' | b'[' | b'{' => depth -= 1,
                _ => {}
            }
            from -= 1;
        }
        let mut depth = 0usize;
        while to < bytes.len() {
            match bytes[to] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            }
            to += 1;
        }
    } else {
        from = text[..at].rfind('\n').map_or(0, |i| i + 1);
        to = text[at..].find('\n').map_or(text.len(), |i| at + i);
    }
    let segment = &text[from..to];
    let mut names = Vec::new();
    for (i, _) in segment.match_indices(':') {
        // `::` and `?:` are operators, not keys.
        if segment[i + 1..].starts_with(':') || segment[..i].ends_with([':', '?']) {
            continue;
        }
        let head = segment[..i].trim_end();
        let name_start = head
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |j| j + 1);
        let name = &head[name_start..];
        // A key follows `(`, `,` or the start of the call; `'http://x'` has `'` before it.
        let before = head[..name_start].trim_end();
        // Without parentheses the first key follows the step's name.
        let key = before.is_empty()
            || before.ends_with(['(', ','])
            || (!parens
                && before
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !name.is_empty() && key {
            names.push(name);
        }
    }
    names
}

fn named_params(cat: &Catalogue, call: &str) -> Vec<CompletionItem> {
    let sigs = cat.step(call).into_iter().chain(cat.symbol(call));
    let mut items: Vec<CompletionItem> = Vec::new();
    for sig in sigs {
        for p in &sig.params {
            if items.iter().any(|i| i.label == p.name) {
                continue;
            }
            items.push(CompletionItem {
                label: p.name.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(p.type_name.clone()),
                documentation: Some(markdown(p.doc.clone())),
                insert_text: Some(format!("{}: ", p.name)),
                ..CompletionItem::default()
            });
        }
    }
    items
}

/// The members of a global: its type's properties and methods, plus for `env` the variables
/// this file sets and for `params` the parameters it defines.
fn members(text: &str, receiver: &str) -> Vec<CompletionItem> {
    let cat = Catalogue::builtin();
    let Some(ty) = cat.global(receiver).and_then(|g| cat.type_sig(&g.ty)) else {
        return Vec::new();
    };
    let mut items: Vec<CompletionItem> = ty
        .properties
        .iter()
        .map(|p| CompletionItem {
            label: p.name.clone(),
            kind: Some(CompletionItemKind::PROPERTY),
            detail: Some(p.type_name.clone()),
            documentation: Some(markdown(p.doc.clone())),
            ..CompletionItem::default()
        })
        .chain(ty.methods.iter().map(|m| CompletionItem {
            label: m.name.clone(),
            kind: Some(CompletionItemKind::METHOD),
            detail: Some(m.signature()),
            ..CompletionItem::default()
        }))
        .collect();
    let defined = match receiver {
        "env" => environment_names(text),
        "params" => parameter_names(text),
        _ => Vec::new(),
    };
    for name in defined {
        if !items.iter().any(|i| i.label == name) {
            items.push(CompletionItem {
                label: name,
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("set in this file".to_owned()),
                ..CompletionItem::default()
            });
        }
    }
    items
}

/// Names assigned in `environment { }` blocks or through `env.NAME = …`.
fn environment_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    scan::walk(text, text.len(), |token, open| {
        let Token::Ident(span) = token else { return };
        let rest = text[span.end as usize..].trim_start();
        let assigns = rest.starts_with('=') && !rest.starts_with("==");
        let in_env = matches!(open.last(), Some(Open::Block(b)) if b == "environment");
        let on_env = scan::receiver(text, span.start as usize) == Some("env");
        let name = &text[span.range()];
        if assigns && (in_env || on_env) && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    });
    names
}

/// Build parameter names: the quoted value after each `name:`.
fn parameter_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("name:") {
        let rest = text[at + 5..].trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            let name = &rest[1..=end];
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::completion;
    use crate::lsp::handlers::testing::doc_at;
    use crate::model::Catalogue;

    fn labels(source: &str) -> Vec<String> {
        let (doc, position) = doc_at(source);
        completion(&doc, position, Catalogue::builtin(), &[])
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn sections_valid_at_the_cursor() {
        let top = labels("pipeline {\n  |\n}");
        for s in ["agent", "stages", "post", "environment", "options"] {
            assert!(top.contains(&s.to_owned()), "{s} in {top:?}");
        }
        assert!(!top.contains(&"steps".to_owned()), "{top:?}");
        let stage = labels("pipeline { stages { stage('a') {\n  st|");
        assert!(stage.contains(&"steps".to_owned()) && stage.contains(&"when".to_owned()));
        assert_eq!(labels("pipeline { stages {\n  |"), ["stage"]);
        let post = labels("pipeline { post { | } }");
        assert_eq!(post.first().map(String::as_str), Some("always"));
        let options = labels("pipeline { options { | } }");
        assert!(
            options.contains(&"buildDiscarder".to_owned()),
            "{options:?}"
        );
        // A type's own parameters, from the catalogue.
        let timeout = labels("pipeline { options { timeout(|) } }");
        assert!(timeout.contains(&"time".to_owned()), "{timeout:?}");
        let string = labels("pipeline { parameters { string(|) } }");
        assert!(string.contains(&"defaultValue".to_owned()), "{string:?}");
        let when = labels("pipeline { stages { stage('a') { when { | } } } }");
        assert!(when.contains(&"branch".to_owned()) && when.contains(&"beforeAgent".to_owned()));
    }

    #[test]
    fn steps_inside_steps_and_named_parameters_of_the_step() {
        let steps = labels("pipeline { stages { stage('a') { steps {\n  |\n} } } }");
        assert!(steps.contains(&"sh".to_owned()) && steps.contains(&"env".to_owned()));
        assert!(!steps.contains(&"agent".to_owned()));
        let params = labels("node { sh(script: 'x', |) }");
        assert!(params.contains(&"returnStdout".to_owned()), "{params:?}");
        let bare = labels("node {\n  sh script: 'x', ret|\n}");
        assert!(bare.contains(&"returnStatus".to_owned()), "{bare:?}");
        // What the call already gives is not offered again.
        assert!(!params.contains(&"script".to_owned()), "{params:?}");
        assert!(!bare.contains(&"script".to_owned()), "{bare:?}");
        let given = labels("node { sh(script: 'x', returnStdout: true, |) }");
        assert!(!given.contains(&"script".to_owned()), "{given:?}");
        assert!(!given.contains(&"returnStdout".to_owned()), "{given:?}");
        assert!(given.contains(&"label".to_owned()), "{given:?}");
        // After the cursor too, and a URL in a string is no key.
        let after = labels("node { git(url: 'https://h/r', |, branch: 'main') }");
        assert!(!after.contains(&"url".to_owned()), "{after:?}");
        assert!(!after.contains(&"branch".to_owned()), "{after:?}");
        assert!(after.contains(&"credentialsId".to_owned()), "{after:?}");
        let option = labels("pipeline { options { timeout(time: 1, |) } }");
        assert_eq!(option, ["unit", "activity"], "{option:?}");
        assert!(labels("node { echo 'sh |' }").is_empty());
    }

    #[test]
    fn global_members_with_what_this_file_defines() {
        let src = "pipeline {\n  parameters { string(name: 'TARGET', defaultValue: 'x') }\n  environment { DEPLOY = 'y' }\n  stages { stage('a') { steps { echo env.|";
        let env = labels(src);
        assert!(env.contains(&"BUILD_NUMBER".to_owned()) && env.contains(&"DEPLOY".to_owned()));
        let params = labels(&src.replace("env.|", "params.|"));
        assert_eq!(params, ["TARGET"]);
        // Inside a GString's interpolation, as in code; not in its plain text.
        let interpolated = labels("node { echo \"n=${env.|}\" }");
        assert!(
            interpolated.contains(&"BUILD_NUMBER".to_owned()),
            "{interpolated:?}"
        );
        let bare = labels("node { echo \"n=$env.| done\" }");
        assert!(bare.contains(&"BUILD_NUMBER".to_owned()), "{bare:?}");
        assert!(labels("node { echo \"n= env.|\" }").is_empty());
        let build = labels("node { currentBuild.| }");
        assert!(
            build.contains(&"result".to_owned()) && build.contains(&"getBuildCauses".to_owned())
        );
    }
}
