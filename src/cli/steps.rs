//! `jenkinsfile steps [NAME]`: the step catalogue as documentation. Without a name it lists
//! every step with its one-line summary, grouped by plugin; with a name it prints that step's
//! (or symbol's, or global's) signature, parameters, description and examples.

use std::fmt::Write as _;

use indexmap::IndexMap;

use super::Exit;
use super::output::Output;
use crate::stdlib::{Catalogue, GlobalSig, StepSig, TypeSig};

const LONG_ABOUT: &str = "\
List the Pipeline steps jenkinsfile knows, or show one step's documentation.

Without NAME, every step is listed with a one-line summary, grouped by the
Jenkins plugin that provides it, followed by the argument symbols (credential
bindings, job properties, parameters, triggers) and the global variables.

With NAME, the step's signature, parameters (type, default, whether required),
description and examples are printed. NAME may also be an argument symbol such
as `usernamePassword`, or a global variable such as `env` or `docker`.";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0  success
  2  NAME is not a known step, symbol or global (a close name is suggested)";

/// Wrap width for descriptions.
const WIDTH: usize = 80;

#[derive(clap::Args)]
#[command(
    about = "List Pipeline steps, or show one step's documentation",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
pub(super) struct Args {
    /// A step, argument symbol or global variable
    name: Option<String>,
}

/// A name the catalogue does not know.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("unknown step `{name}`")]
#[diagnostic(code("unknown-step"))]
struct UnknownStep {
    name: String,
    #[help]
    help: Option<String>,
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let cat = Catalogue::builtin();
    let Some(name) = &args.name else {
        out.print(&list(cat));
        return Exit::Success;
    };
    if let Some(step) = cat.step(name) {
        out.print(&step_doc(step));
    } else if !cat.symbol(name).is_empty() {
        let docs: Vec<String> = cat.symbol(name).iter().map(step_doc).collect();
        out.print(&docs.join("\n"));
    } else if let Some(global) = cat.global(name) {
        out.print(&global_doc(global, cat.type_sig(&global.ty)));
    } else {
        let help = cat
            .suggest(name)
            .map(|s| format!("did you mean `{s}`? `jenkinsfile steps` lists every step"));
        out.error(&UnknownStep {
            name: name.clone(),
            help: help.or_else(|| Some("`jenkinsfile steps` lists every step".into())),
        });
        return Exit::Unusable;
    }
    Exit::Success
}

fn list(cat: &Catalogue) -> String {
    let mut text = String::new();
    let mut by_plugin: IndexMap<&str, Vec<&StepSig>> = IndexMap::new();
    for step in cat.steps.values() {
        by_plugin
            .entry(step.plugin.as_str())
            .or_default()
            .push(step);
    }
    by_plugin.sort_keys();
    let width = cat.steps.keys().map(String::len).max().unwrap_or(0);
    for (plugin, steps) in &by_plugin {
        let _ = writeln!(text, "{plugin}");
        for step in steps {
            let head = format!("  {:width$}  ", step.name);
            text.push_str(&hanging(&head, step.summary()));
        }
        text.push('\n');
    }
    let _ = writeln!(
        text,
        "Argument symbols (used inside other steps' arguments)"
    );
    let names: Vec<&str> = cat.symbols.keys().map(String::as_str).collect();
    text.push_str(&wrap(&names.join(", "), "  "));
    text.push('\n');
    let _ = writeln!(text, "Global variables");
    for global in cat.globals.values() {
        let head = format!("  {:width$}  ", global.name);
        text.push_str(&hanging(&head, first_sentence(&global.doc)));
    }
    text
}

fn step_doc(step: &StepSig) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{}\n", step.signature());
    for para in step.doc.split("\n\n") {
        text.push_str(&wrap(para, "  "));
        text.push('\n');
    }
    let _ = writeln!(text, "Plugin: {}", step.plugin);
    if !step.params.is_empty() {
        let _ = writeln!(text, "\nParameters:");
        let name_w = step.params.iter().map(|p| p.name.len()).max().unwrap_or(0);
        let ty_w = step
            .params
            .iter()
            .map(|p| p.type_name.len())
            .max()
            .unwrap_or(0);
        for (i, p) in step.params.iter().enumerate() {
            let default = match &p.default {
                None => "required".to_string(),
                Some(d) => format!("default {d}"),
            };
            let positional = if step.default_param == Some(i) {
                ", positional"
            } else {
                ""
            };
            let _ = writeln!(
                text,
                "  {:name_w$}  {:ty_w$}  ({default}{positional})",
                p.name, p.type_name
            );
            let indent = " ".repeat(name_w + ty_w + 6);
            text.push_str(&wrap(&p.doc, &indent));
            if !p.values.is_empty() {
                text.push_str(&wrap(&format!("one of: {}", p.values.join(", ")), &indent));
            }
        }
    }
    if step.open {
        let _ = writeln!(text, "  (any other named argument is accepted too)");
    }
    let block = match (step.takes_body, step.body_required) {
        (true, true) => Some("required"),
        (true, false) => Some("optional"),
        _ => None,
    };
    if let Some(block) = block {
        let _ = writeln!(text, "\nBlock: {block}");
    }
    if let Some(returns) = &step.returns {
        let _ = writeln!(text, "\nReturns:");
        text.push_str(&wrap(returns, "  "));
    }
    if !step.examples.is_empty() {
        let _ = writeln!(text, "\nExamples:");
        for (i, example) in step.examples.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            for line in example.lines() {
                let _ = writeln!(text, "  {line}");
            }
        }
    }
    text
}

fn global_doc(global: &GlobalSig, ty: Option<&TypeSig>) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{} {}\n", global.ty, global.name);
    for para in global.doc.split("\n\n") {
        text.push_str(&wrap(para, "  "));
        text.push('\n');
    }
    let _ = writeln!(text, "Plugin: {}", global.plugin);
    let Some(ty) = ty else {
        return text;
    };
    if !ty.properties.is_empty() {
        let _ = writeln!(text, "\nProperties:");
        let name_w = ty
            .properties
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(0);
        for p in &ty.properties {
            let access = if p.writable { "" } else { " (read-only)" };
            let _ = writeln!(
                text,
                "  {:name_w$}  {}{access}  {}",
                p.name, p.type_name, p.doc
            );
        }
    }
    if ty.dynamic {
        let _ = writeln!(text, "  (any other name is accepted too)");
    }
    if !ty.methods.is_empty() {
        let _ = writeln!(text, "\nMethods:");
        for m in &ty.methods {
            let _ = writeln!(text, "  {}", m.signature());
            text.push_str(&wrap(m.summary(), "      "));
        }
    }
    text
}

fn first_sentence(text: &str) -> &str {
    let para = text.split("\n\n").next().unwrap_or("").trim();
    para.find(". ").map_or(para, |at| &para[..=at])
}

/// `head` then the text wrapped at `WIDTH`, later lines indented to line up after `head`.
fn hanging(head: &str, text: &str) -> String {
    let indent = " ".repeat(head.len());
    let wrapped = wrap(text, &indent);
    format!("{head}{}", wrapped.trim_start())
}

/// Wraps prose at `WIDTH` columns, each line starting with `indent`.
fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if line.len() > indent.len() && line.len() + 1 + word.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if line.len() > indent.len() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
