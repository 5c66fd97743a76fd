//! Reads a Groovydoc block (`/** ... */`) of a stub into its parts: the description and the
//! tags the catalogue understands. `stdlib/README.md` documents the tags.

/// The parts of one doc comment.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Doc {
    pub(crate) description: String,
    /// `@param name text`, in order.
    pub(crate) params: Vec<(String, String)>,
    pub(crate) returns: Option<String>,
    pub(crate) examples: Vec<String>,
    pub(crate) plugin: Option<String>,
    /// `@values name A B C`.
    pub(crate) values: Vec<(String, Vec<String>)>,
    /// `@positional name`: the parameter a single unnamed argument binds to, when it is not
    /// the one required parameter.
    pub(crate) positional: Option<String>,
    /// `@open`: any named argument is accepted.
    pub(crate) open: bool,
    /// `@dynamic` (types only): any property name is valid.
    pub(crate) dynamic: bool,
}

/// Tags that start a new section. Any other `@word` at the start of a line (an annotation in
/// an example, say) belongs to the section it is in.
const TAGS: &[&str] = &[
    "param",
    "return",
    "example",
    "plugin",
    "values",
    "positional",
    "open",
    "dynamic",
];

enum Section {
    Description,
    Param(usize),
    Return,
    Example(usize),
}

/// Parses the text of a `/** ... */` comment, delimiters included.
pub(crate) fn parse(comment: &str) -> Result<Doc, String> {
    let inner = comment
        .strip_prefix("/**")
        .and_then(|c| c.strip_suffix("*/"))
        .ok_or_else(|| "not a doc comment".to_string())?;
    let mut doc = Doc::default();
    let mut section = Section::Description;
    let mut captions = Vec::new();
    for raw in inner.lines() {
        let line = strip_star(raw);
        if let Some((tag, rest)) = tag_of(line) {
            if TAGS.contains(&tag) {
                section = start(&mut doc, &mut captions, tag, rest)?;
                continue;
            }
            if !matches!(section, Section::Example(_)) {
                return Err(format!("unknown tag `@{tag}`"));
            }
        }
        match section {
            Section::Description => push_line(&mut doc.description, line.trim()),
            Section::Param(i) => push_line(&mut doc.params[i].1, line.trim()),
            Section::Return => push_line(doc.returns.get_or_insert_with(String::new), line.trim()),
            // Examples keep their indentation; only the comment's own margin is removed.
            Section::Example(i) => {
                let ex = &mut doc.examples[i];
                ex.push_str(line.trim_end());
                ex.push('\n');
            }
        }
    }
    doc.description = tidy(&doc.description);
    for (_, text) in &mut doc.params {
        *text = tidy(text);
    }
    doc.returns = doc.returns.map(|r| tidy(&r));
    for (ex, caption) in doc.examples.iter_mut().zip(captions) {
        *ex = format!("{caption}{}\n", dedent(ex.trim_matches('\n')));
    }
    Ok(doc)
}

fn start(
    doc: &mut Doc,
    captions: &mut Vec<String>,
    tag: &str,
    rest: &str,
) -> Result<Section, String> {
    let rest = rest.trim();
    Ok(match tag {
        "param" => {
            let (name, text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            if name.is_empty() {
                return Err("`@param` without a name".into());
            }
            doc.params.push((name.to_string(), text.trim().to_string()));
            Section::Param(doc.params.len() - 1)
        }
        "return" => {
            doc.returns = Some(rest.to_string());
            Section::Return
        }
        "example" => {
            captions.push(if rest.is_empty() {
                String::new()
            } else {
                format!("// {rest}\n")
            });
            doc.examples.push(String::new());
            Section::Example(doc.examples.len() - 1)
        }
        "plugin" => {
            doc.plugin = Some(rest.to_string());
            Section::Description
        }
        "values" => {
            let mut words = rest.split_whitespace().map(str::to_string);
            let name = words.next().ok_or("`@values` without a parameter name")?;
            doc.values.push((name, words.collect()));
            Section::Description
        }
        "positional" => {
            doc.positional = Some(rest.to_string());
            Section::Description
        }
        "open" => {
            doc.open = true;
            Section::Description
        }
        "dynamic" => {
            doc.dynamic = true;
            Section::Description
        }
        _ => return Err(format!("unknown tag `@{tag}`")),
    })
}

/// Removes the ` * ` margin of a comment line (and at most one space after the star).
fn strip_star(raw: &str) -> &str {
    let t = raw.trim_start();
    match t.strip_prefix('*') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => t,
    }
}

fn tag_of(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix('@')?;
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let tag = &rest[..end];
    (!tag.is_empty()).then(|| (tag, &rest[end..]))
}

/// Joins prose lines; an empty line stays as a paragraph break.
fn push_line(buf: &mut String, line: &str) {
    if line.is_empty() {
        buf.push_str("\n\n");
    } else {
        if !buf.is_empty() && !buf.ends_with('\n') {
            buf.push(' ');
        }
        buf.push_str(line);
    }
}

fn tidy(text: &str) -> String {
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    paras.join("\n\n")
}

fn dedent(text: &str) -> String {
    let margin = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.get(margin..).unwrap_or("").trim_end())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_description_tags_and_examples() {
        let doc = parse(
            "/**\n * Runs a script.\n * Second line.\n *\n * More.\n * @param script the\n *   script text\n * @values unit SECONDS MINUTES\n * @plugin workflow-durable-task-step\n * @example Build it\n *   sh 'make'\n *   if (x) {\n *       @Field y\n *   }\n * @return nothing\n */",
        )
        .unwrap();
        assert_eq!(doc.description, "Runs a script. Second line.\n\nMore.");
        assert_eq!(
            doc.params,
            vec![("script".into(), "the script text".into())]
        );
        assert_eq!(
            doc.values,
            vec![("unit".into(), vec!["SECONDS".into(), "MINUTES".into()])]
        );
        assert_eq!(doc.plugin.as_deref(), Some("workflow-durable-task-step"));
        assert_eq!(
            doc.examples,
            vec!["// Build it\nsh 'make'\nif (x) {\n    @Field y\n}\n".to_string()]
        );
        assert_eq!(doc.returns.as_deref(), Some("nothing"));
    }

    #[test]
    fn rejects_unknown_tags() {
        assert!(parse("/** x\n * @retrun y\n */").is_err());
        assert!(parse("/** x\n * @param\n */").is_err());
    }
}
