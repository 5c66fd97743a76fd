//! `lint`: everything `jenkinsfile lint` reports about one file. It parses with `syntax`, runs
//! the declarative validator (`model`), then every enabled rule of the registry (one file per rule under `rules/`), applies the
//! configured severities and the `// jenkinsfile: ignore[…]` comments (`suppress.rs`), and
//! returns plain `Diagnostic`s that the renderers in `format/` print. Never imports tokio.

pub mod format;
mod options;
mod registry;
mod rules;
mod suppress;
pub(crate) mod walk;

use crate::config::Level;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model;
use crate::source::SourceFile;
use crate::syntax::{self, ast};

pub use self::options::{LibraryGlobals, LintOptions, OptionsError};
pub use self::registry::{RULES, Rule, rule};

/// What a rule reads: the source, its tree and the options.
pub(crate) struct Context<'a> {
    pub(crate) source: &'a SourceFile,
    pub(crate) file: &'a ast::File,
    pub(crate) options: &'a LintOptions,
}

/// Lints one file: syntax errors if it does not parse, otherwise every enabled rule's findings,
/// sorted by position, with severities overridden by the options and suppressed findings left
/// out.
#[must_use]
pub fn check(source: &SourceFile, options: &LintOptions) -> Vec<Diagnostic> {
    let file = match syntax::parse(source) {
        Ok(file) => file,
        Err(diags) => return diags,
    };
    let model_options = model::Options {
        catalogue: options.model_catalogue(),
    };
    // The declarative validator first: Jenkins' own errors, with Jenkins' messages.
    let (_, validator) = model::build_with(&file, source, &model_options);
    check_parsed(source, &file, validator, options)
}

/// [`check`] for a file the caller has already parsed and built the model of (the language
/// server keeps both per document version): `validator` is what `model::build_with` reported.
#[must_use]
pub fn check_parsed(
    source: &SourceFile,
    file: &ast::File,
    validator: Vec<Diagnostic>,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let cx = Context {
        source,
        file,
        options,
    };
    let mut diags = validator;
    for rule in RULES {
        let level = options.level(rule.code);
        if level == Some(Level::Off) {
            continue;
        }
        let start = diags.len();
        (rule.check)(&cx, &mut diags);
        if let Some(level) = level {
            // Findings the rule itself made milder (an unknown step that may come from an
            // unconfigured library is a note) stay as they are.
            for d in diags[start..]
                .iter_mut()
                .filter(|d| d.severity == rule.severity)
            {
                d.severity = severity(level);
            }
        }
    }
    let mut diags = suppress::apply(diags, file, source);
    diags.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    // The validator and the step-argument checks may both see a declarative step.
    diags.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    diags
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Info => Severity::Info,
        Level::Warning | Level::Off => Severity::Warning,
    }
}
