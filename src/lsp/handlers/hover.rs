//! `textDocument/hover`: the step catalogue's documentation for steps, symbols and their named
//! parameters; what a Declarative section, directive, `post` condition or `when` condition is
//! for; and for `env.X`, `params.X` and `currentBuild.x` the variable's documentation and the
//! lines of this file that set it. Reads tokens around the cursor (`scan`), so it works on text
//! that does not parse.

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::lsp::document::Document;
use crate::lsp::scan::{self, Context, Open, Token};
use crate::lsp::sections;
use crate::model::catalogue::{Catalogue as Declarative, Kind};
use crate::source::Span;
use crate::stdlib::{Catalogue, StepSig};

/// The hover for the word under the cursor, if the tool knows it.
#[must_use]
pub fn hover(doc: &Document, position: Position, declarative: &Declarative) -> Option<Hover> {
    let text = &doc.text;
    let offset = doc.index.offset(text, position);
    let span = scan::word_at(text, offset)?;
    let cx = scan::context(text, span.start as usize);
    if cx.in_string_or_comment && !cx.in_interpolation(text, span.start as usize) {
        return None;
    }
    let value = markdown(text, span, &cx, declarative)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(doc.index.range(text, span)),
    })
}

fn markdown(text: &str, span: Span, cx: &Context, declarative: &Declarative) -> Option<String> {
    let word = &text[span.range()];
    let cat = Catalogue::builtin();
    let start = span.start as usize;
    if let Some(receiver) = scan::receiver(text, start) {
        // `"$env.X"`: the `$` opens the interpolation, it is not part of the name.
        let receiver = if cx.in_string_or_comment {
            receiver.trim_start_matches('$')
        } else {
            receiver
        };
        return member(text, receiver, word);
    }
    let after = text[span.end as usize..].trim_start_matches([' ', '\t']);
    if after.starts_with(':') && !after.starts_with("::") {
        let call = cx
            .call()
            .or_else(|| scan::line_call(text, start))
            .map(str::to_owned);
        if let Some(call) = call {
            return parameter(cat, declarative, &call, word);
        }
    }
    let blocks = cx.blocks();
    let block = blocks.last().copied().unwrap_or("");
    if block == "post"
        && let Some(doc) = sections::post_doc(word)
    {
        return Some(format!("**post condition `{word}`**\n\n{doc}"));
    }
    if blocks.contains(&"when")
        && block != "expression"
        && let Some(doc) = sections::when_doc(word)
    {
        let mut out = format!("**when condition `{word}`**\n\n{doc}");
        if let Some(d) = declarative.get(Kind::When, word) {
            describable_params(&mut out, d);
        }
        return Some(out);
    }
    if let Some(section) = sections::section(word)
        && section.parents.contains(&block)
    {
        return Some(format!("**`{word}`** (Declarative)\n\n{}", section.doc));
    }
    let kind = match block {
        "options" => Some(Kind::Option),
        "triggers" => Some(Kind::Trigger),
        "parameters" => Some(Kind::Parameter),
        "tools" => Some(Kind::Tool),
        "agent" => Some(Kind::Agent),
        _ => None,
    };
    // Inside `options { }` and its kin the catalogue's type wins over a step of the same name
    // (`timeout`, `retry`): that is what Jenkins binds there.
    if let Some(kind) = kind
        && let Some(d) = declarative.get(kind, word)
    {
        let kind = format!("{kind:?}").to_lowercase();
        let mut out = format!("**`{word}`** ({kind}, plugin `{}`)", d.plugin);
        describable_params(&mut out, d);
        return Some(out);
    }
    if let Some(step) = cat.step(word).or_else(|| cat.symbol(word).first()) {
        return Some(step_doc(step));
    }
    let global = cat.global(word)?;
    Some(format!(
        "```groovy\n{} {}\n```\n\n{}",
        global.ty, global.name, global.doc
    ))
}

/// `env.X`, `params.X`, `currentBuild.x`: the type's documentation of the member, and for
/// environment variables and parameters where this file sets them.
fn member(text: &str, receiver: &str, name: &str) -> Option<String> {
    let cat = Catalogue::builtin();
    let global = cat.global(receiver)?;
    let ty = cat.type_sig(&global.ty)?;
    let mut out = format!("```groovy\n{receiver}.{name}\n```\n");
    if let Some(prop) = ty.property(name) {
        let _ = write!(out, "\n`{}`: {}\n", prop.type_name, prop.doc);
    } else if let Some(method) = ty.method(name) {
        return Some(step_doc(method));
    } else if !ty.dynamic {
        return None;
    }
    let set_by = match receiver {
        "env" => env_setters(text, name),
        "params" => param_definitions(text, name),
        _ => Vec::new(),
    };
    if !set_by.is_empty() {
        out.push_str("\nSet in this file:\n");
        for (line, what) in set_by {
            let _ = writeln!(out, "- line {line}: `{what}`");
        }
    } else if ty.property(name).is_none() {
        let _ = write!(out, "\nNot set in this file; {}", global.doc);
    }
    Some(out)
}

/// Where the file sets environment variable `name`: `environment { NAME = … }`, `env.NAME = …`
/// and `withEnv(['NAME=…'])`, as (1-based line, the line's text).
fn env_setters(text: &str, name: &str) -> Vec<(usize, String)> {
    let mut spans = Vec::new();
    scan::walk(text, text.len(), |token, open| {
        let Token::Ident(span) = token else { return };
        if &text[span.range()] != name {
            return;
        }
        let rest = text[span.end as usize..].trim_start();
        let assigns = rest.starts_with('=') && !rest.starts_with("==");
        let in_environment = matches!(open.last(), Some(Open::Block(b)) if b == "environment");
        let on_env = scan::receiver(text, span.start as usize) == Some("env");
        if assigns && (in_environment || on_env) {
            spans.push(span.start as usize);
        }
    });
    for quote in ['\'', '"'] {
        let needle = format!("{quote}{name}=");
        spans.extend(text.match_indices(&needle).map(|(at, _)| at));
    }
    spans.sort_unstable();
    spans.into_iter().map(|at| line_of(text, at)).collect()
}

/// Where `parameters { … }` defines build parameter `name` (`name: 'NAME'`).
fn param_definitions(text: &str, name: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for quote in ['\'', '"'] {
        let needle = format!("{quote}{name}{quote}");
        for (at, _) in text.match_indices(&needle) {
            let before = text[..at].trim_end();
            if before.ends_with("name:") {
                out.push(line_of(text, at));
            }
        }
    }
    out.sort();
    out
}

fn line_of(text: &str, at: usize) -> (usize, String) {
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (line, text[start..end].trim().to_owned())
}

/// A named parameter of a step, symbol or Declarative describable.
fn parameter(cat: &Catalogue, declarative: &Declarative, call: &str, name: &str) -> Option<String> {
    let steps = cat.step(call).into_iter().chain(cat.symbol(call));
    for step in steps {
        if let Some(p) = step.param(name) {
            let mut out = format!("```groovy\n{} {}\n```\n\n", p.type_name, p.name);
            let _ = write!(out, "Parameter of `{call}`");
            if p.required {
                out.push_str(" (required)");
            }
            if let Some(default) = &p.default {
                let _ = write!(out, ", default `{default}`");
            }
            let _ = write!(out, ".\n\n{}", p.doc);
            if !p.values.is_empty() {
                let _ = write!(out, "\n\nValues: {}", p.values.join(", "));
            }
            return Some(out);
        }
    }
    let kinds = [
        Kind::Option,
        Kind::Trigger,
        Kind::Parameter,
        Kind::When,
        Kind::Agent,
    ];
    kinds.iter().find_map(|&kind| {
        let p = declarative.get(kind, call)?.param(name)?;
        Some(format!(
            "`{name}`: `{}`{}, parameter of `{call}`",
            short_type(p.ty),
            if p.required { " (required)" } else { "" }
        ))
    })
}

/// The full documentation of a step: signature, description, parameters, plugin.
fn step_doc(step: &StepSig) -> String {
    let mut out = format!(
        "```groovy\n{}\n```\n\n{}\n",
        step.signature(),
        step.doc.trim()
    );
    if !step.params.is_empty() {
        out.push_str("\n**Parameters**\n");
        for p in &step.params {
            let required = if p.required { ", required" } else { "" };
            let _ = writeln!(
                out,
                "- `{}` (`{}`{required}): {}",
                p.name, p.type_name, p.doc
            );
        }
    }
    if let Some(returns) = &step.returns {
        let _ = write!(out, "\n**Returns** {returns}\n");
    }
    if !step.plugin.is_empty() {
        let _ = write!(out, "\nPlugin: `{}`", step.plugin);
    }
    out
}

fn describable_params(out: &mut String, d: &crate::model::catalogue::Describable) {
    if d.params.is_empty() {
        return;
    }
    out.push_str("\n\n**Parameters**\n");
    for p in &d.params {
        let required = if p.required { ", required" } else { "" };
        let _ = writeln!(out, "- `{}` (`{}`{required})", p.name, short_type(p.ty));
    }
}

/// A catalogue type as a Groovy author writes it (`String`), not in Jenkins' error-message
/// form (`class java.lang.String`).
fn short_type(ty: crate::model::catalogue::ParamType) -> String {
    let text = ty.to_string();
    let text = text
        .strip_prefix("class ")
        .or_else(|| text.strip_prefix("interface "))
        .unwrap_or(&text);
    text.strip_prefix("java.lang.").unwrap_or(text).to_owned()
}

#[cfg(test)]
mod tests {
    use lsp_types::HoverContents;

    use super::hover;
    use crate::lsp::handlers::testing::doc_at;
    use crate::model::Catalogue;

    fn text_at(source: &str) -> Option<String> {
        let (doc, position) = doc_at(source);
        let hover = hover(&doc, position, Catalogue::builtin())?;
        let HoverContents::Markup(markup) = hover.contents else {
            panic!("markdown expected")
        };
        Some(markup.value)
    }

    #[test]
    fn steps_and_their_parameters() {
        let sh = text_at("node {\n  s|h 'make'\n}").unwrap();
        assert!(sh.starts_with("```groovy\nsh(String script"), "{sh}");
        assert!(sh.contains("Plugin: `workflow-durable-task-step`"), "{sh}");
        let param = text_at("node { sh script: 'x', return|Stdout: true }").unwrap();
        assert!(param.contains("Parameter of `sh`"), "{param}");
        assert!(param.contains("default `false`"), "{param}");
        let in_parens = text_at("node { sh(script: 'x', lab|el: 'y') }").unwrap();
        assert!(
            in_parens.starts_with("```groovy\nString label"),
            "{in_parens}"
        );
    }

    #[test]
    fn sections_post_and_when_conditions() {
        let src = "pipeline {\n  ag|ent any\n}";
        assert!(
            text_at(src)
                .unwrap()
                .contains("Where the Pipeline or stage runs")
        );
        let post = "pipeline { post { alw|ays { echo 'x' } } }";
        assert!(
            text_at(post)
                .unwrap()
                .contains("whatever the build or stage result")
        );
        let when = "pipeline { stages { stage('a') { when { bra|nch 'main' } } } }";
        let when = text_at(when).unwrap();
        assert!(when.contains("**when condition `branch`**"), "{when}");
        assert!(when.contains("`pattern`"), "{when}");
        // In a string or comment: nothing.
        assert_eq!(text_at("node { echo 'a|gent' }"), None);
    }

    #[test]
    fn environment_variables_say_what_sets_them() {
        let src = "pipeline {\n  environment {\n    DEPLOY_TO = 'prod'\n  }\n  stages { stage('a') { steps {\n    echo env.DEPLOY|_TO\n  } } }\n}";
        let text = text_at(src).unwrap();
        assert!(text.contains("- line 3: `DEPLOY_TO = 'prod'`"), "{text}");
        let builtin = text_at("node { echo env.BUILD_NUM|BER }").unwrap();
        assert!(builtin.contains("`String`"), "{builtin}");
        let set = text_at("node { env.FOO = 'x'\n withEnv(['FOO=y']) { echo env.F|OO } }").unwrap();
        assert!(set.contains("- line 1: `node { env.FOO = 'x'`"), "{set}");
        assert!(set.contains("- line 2:"), "{set}");
        let build = text_at("node { echo currentBuild.res|ult }").unwrap();
        assert!(build.contains("currentBuild.result"), "{build}");
    }

    #[test]
    fn interpolations_in_gstrings_are_code() {
        let braces = text_at("node { echo \"n=${env.BUILD_NUM|BER}\" }").unwrap();
        assert!(braces.contains("`String`"), "{braces}");
        let bare = text_at("node { echo \"n=$env.BUILD_NUM|BER done\" }").unwrap();
        assert!(bare.contains("`String`"), "{bare}");
        let step = text_at("node { echo \"${s|h(script: 'x', returnStdout: true)}\" }").unwrap();
        assert!(step.starts_with("```groovy\nsh(String script"), "{step}");
        // Plain text of the string, a closed interpolation, single quotes: nothing.
        assert_eq!(text_at("node { echo \"env.BUILD_NUM|BER\" }"), None);
        assert_eq!(text_at("node { echo \"${x} env.BUILD_NUM|BER\" }"), None);
        assert_eq!(text_at("node { echo '${env.BUILD_NUM|BER}' }"), None);
    }

    #[test]
    fn catalogue_types_win_inside_their_directives() {
        let option = text_at("pipeline { options { time|out(time: 1, unit: 'HOURS') } }").unwrap();
        assert!(option.starts_with("**`timeout`** (option"), "{option}");
        let trigger = text_at("pipeline { triggers { cr|on('H * * * *') } }").unwrap();
        assert!(trigger.starts_with("**`cron`** (trigger"), "{trigger}");
    }

    #[test]
    fn directive_parameter_types_are_written_as_in_groovy() {
        let when = "pipeline { stages { stage('a') { when { branch pattern: 'main', compa|rator: 'GLOB' } } } }";
        let param = text_at(when).unwrap();
        assert_eq!(param, "`comparator`: `String`, parameter of `branch`");
        let when = "pipeline { stages { stage('a') { when { bra|nch 'main' } } } }";
        let condition = text_at(when).unwrap();
        assert!(
            condition.contains("- `pattern` (`String`, required)\n- `comparator` (`String`)"),
            "{condition}"
        );
    }
}
