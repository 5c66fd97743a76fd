//! `jenkinsfile lint`: find problems in Jenkinsfiles without running them. Reads the one
//! configuration (`crate::config`) per file, runs `lint::check`, and prints the findings in
//! the chosen format: human reports on stderr, machine formats on stdout.

use std::collections::HashMap;
use std::num::NonZero;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::ValueEnum;
use indexmap::IndexMap;

use super::Exit;
use super::output::Output;
use crate::config::{self, Level, Loader, Overrides};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{DiscoverError, Input, discover};
use crate::lint::format::{self, FileReport};
use crate::lint::{self, LintOptions};
use crate::model;
use crate::source::{SourceFile, Span};

const LONG_ABOUT: &str = "\
Lint Jenkinsfiles: syntax errors, Jenkins' declarative validation (with
Jenkins' messages), then the lint rules (unknown steps and step arguments,
secrets interpolated into shell commands, bash-only syntax in `sh`, closures
that misbehave under CPS, unpinned Docker images).

Each PATH is a file, a directory (searched for Jenkinsfiles as `parse` does) or
`-` for standard input; with no PATH the current directory is searched.
Configuration comes from the command line, then `.jenkinsfile/config.toml`
(found by walking up from each Jenkinsfile to the repository root), then
`$XDG_CONFIG_HOME/jenkinsfile/config.toml`. A finding is silenced by a comment
`// jenkinsfile: ignore[CODE]` on its line or alone on the line above.";

const AFTER_LONG_HELP: &str = "\
Exit status (the worst over all inputs):
  0  no errors (warnings alone do not fail, unless --deny-warnings)
  1  an error in at least one input (or a warning with --deny-warnings); with
     --format jenkins, as Jenkins' linter: an error, or a file without `pipeline`
  2  usage error or invalid configuration, or an input that is missing,
     unreadable or not UTF-8 (the other inputs are still linted)";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    /// Readable reports with source snippets (stderr)
    Human,
    /// Jenkins' own messages and positions (stdout)
    Jenkins,
    /// A versioned JSON document (stdout)
    Json,
    /// SARIF 2.1.0 (stdout)
    Sarif,
    /// GitHub Actions annotations (stdout)
    Github,
}

#[derive(clap::Args)]
#[command(
    about = "Find problems in Jenkinsfiles without running them",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP
)]
pub(super) struct Args {
    /// Files, directories to search, or `-` for standard input
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when there are warnings
    #[arg(long)]
    deny_warnings: bool,
    /// A shared library checkout whose `vars/*.groovy` define global steps
    #[arg(long, value_name = "NAME=PATH", value_parser = name_value)]
    library: Vec<(String, String)>,
    /// A plugin catalogue (TOML) adding declarative option, trigger, parameter, tool, agent and `when` types
    #[arg(long, value_name = "FILE")]
    plugin_catalogue: Option<PathBuf>,
    /// Read this configuration file instead of the repository's `.jenkinsfile/config.toml`
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Set a rule's level: off, info, warning or error (repeatable)
    #[arg(long, value_name = "CODE=LEVEL", value_parser = name_value)]
    rule: Vec<(String, String)>,
    /// Turn a rule off (repeatable)
    #[arg(long, value_name = "CODE")]
    disable: Vec<String>,
}

fn name_value(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() && !value.is_empty() => {
            Ok((name.to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{arg}`")),
    }
}

pub(super) fn run(args: &Args, out: &mut Output) -> Exit {
    let overrides = match overrides(args) {
        Ok(o) => o,
        Err(message) => {
            out.warn_error(&message);
            return Exit::Unusable;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let found = discover(&paths);
    let mut exit = Exit::Success;
    let machine = matches!(args.format, Format::Json | Format::Sarif | Format::Github);
    // The machine formats list every input: one that could not be read gets an entry with an
    // `unreadable-file` error rather than a silent gap. Built first, since reports borrow them.
    let mut gaps: Vec<(SourceFile, Vec<Diagnostic>)> = Vec::new();
    for err in &found.errors {
        out.error(err);
        exit = Exit::Unusable;
        let (DiscoverError::NotFound { path } | DiscoverError::Io { path, .. }) = err;
        gaps.push(unreadable(path.display().to_string(), err));
    }
    if found.inputs.is_empty() && found.errors.is_empty() {
        out.warn("no Jenkinsfiles found in the given directories");
    }
    let items = gather(&found.inputs, &overrides);
    let discovery_gaps = gaps.len();
    for item in &items {
        if let Item::Unusable(err, Some(name)) = item {
            gaps.push(unreadable(name.clone(), err));
        }
    }
    let outcomes = check_all(&items, args.format);
    let mut linted: Vec<(&SourceFile, Vec<Diagnostic>)> = Vec::new();
    if machine {
        for (source, diags) in &gaps[..discovery_gaps] {
            linted.push((source, diags.clone()));
        }
    }
    let mut item_gaps = gaps[discovery_gaps..].iter();
    let mut validated: Vec<(&SourceFile, model::Validation)> = Vec::new();
    let mut tally = Tally::default();
    for (item, outcome) in items.iter().zip(outcomes) {
        let (source, outcome) = match (item, outcome) {
            (Item::File { source, .. }, Some(outcome)) => (source, outcome),
            (Item::Unusable(err, name), _) => {
                out.error(err.as_ref());
                exit = Exit::Unusable;
                if let (Some(_), Some((source, diags))) = (name, item_gaps.next())
                    && machine
                {
                    linted.push((source, diags.clone()));
                }
                continue;
            }
            _ => {
                exit = Exit::Unusable;
                continue;
            }
        };
        match outcome {
            Outcome::Validated(validation, status) => {
                exit = exit.max(status);
                validated.push((source, *validation));
            }
            Outcome::Linted(diags) => {
                exit = exit.max(status(&diags, args.deny_warnings));
                tally.add(&diags);
                if args.format == Format::Human {
                    if !diags.is_empty() {
                        out.diagnostics(&diags, source);
                    }
                } else {
                    linted.push((source, diags));
                }
            }
        }
    }
    if args.format == Format::Jenkins {
        let reports: Vec<format::jenkins::FileReport<'_>> = validated
            .iter()
            .map(|(source, v)| format::jenkins::FileReport {
                source,
                declarative: v.declarative,
                diagnostics: &v.diagnostics,
            })
            .collect();
        out.print(&format::jenkins::render(&reports));
    }
    if args.format == Format::Human
        && let Some(summary) = tally.summary()
    {
        out.note(&summary);
    }
    let reports: Vec<FileReport<'_>> = linted
        .iter()
        .map(|(source, diags)| FileReport {
            source,
            diagnostics: diags,
        })
        .collect();
    match args.format {
        Format::Human | Format::Jenkins => {}
        Format::Json => out.print(&format::json::render(&reports)),
        Format::Sarif => out.print(&format::sarif::render(&reports)),
        Format::Github => out.print(&format::github::render(&reports)),
    }
    exit
}

/// One input, read and configured, or what kept it from being checked.
enum Item {
    File {
        source: SourceFile,
        /// Shared by every file of the directory.
        options: Arc<LintOptions>,
    },
    /// A file that does not read (with its name), or the first file of a directory whose
    /// configuration is unusable: the error is reported in the file's place.
    Unusable(Box<dyn miette::Diagnostic + Send + Sync>, Option<String>),
    /// A later file of a directory whose configuration was already reported unusable.
    Unconfigured,
}

/// What checking one file gave.
enum Outcome {
    Linted(Vec<Diagnostic>),
    Validated(Box<model::Validation>, Exit),
}

/// Reads every input and resolves its configuration (once per directory), in input order.
fn gather(inputs: &[Input], overrides: &Overrides) -> Vec<Item> {
    let loader = Loader::from_env();
    let mut options_by_dir: HashMap<PathBuf, Option<Arc<LintOptions>>> = HashMap::new();
    let mut items = Vec::with_capacity(inputs.len());
    for input in inputs {
        let dir = input_dir(input);
        let options = if let Some(options) = options_by_dir.get(&dir) {
            options.clone()
        } else {
            match options_for(&loader, &dir, overrides) {
                Ok(options) => {
                    let options = Arc::new(options);
                    options_by_dir.insert(dir, Some(options.clone()));
                    Some(options)
                }
                Err(err) => {
                    options_by_dir.insert(dir, None);
                    items.push(Item::Unusable(err, None));
                    continue;
                }
            }
        };
        let Some(options) = options else {
            items.push(Item::Unconfigured);
            continue;
        };
        items.push(match input.read() {
            Ok(source) => Item::File { source, options },
            Err(err) => Item::Unusable(Box::new(err), Some(input.name())),
        });
    }
    items
}

/// Checks every file, on as many threads as there are cores: files are independent, and the
/// results come back in input order so the output does not depend on the scheduling.
fn check_all(items: &[Item], format: Format) -> Vec<Option<Outcome>> {
    let check = |item: &Item| match item {
        Item::File { source, options } if format == Format::Jenkins => {
            let (validation, status) = jenkins(source, options);
            Some(Outcome::Validated(Box::new(validation), status))
        }
        Item::File { source, options } => Some(Outcome::Linted(lint::check(source, options))),
        Item::Unusable(..) | Item::Unconfigured => None,
    };
    let files = items
        .iter()
        .filter(|i| matches!(i, Item::File { .. }))
        .count();
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZero::get)
        .min(files);
    if threads <= 1 {
        return items.iter().map(check).collect();
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(at) else { break };
                        done.push((at, check(item)));
                    }
                    done
                })
            })
            .collect();
        let mut all: Vec<(usize, Option<Outcome>)> = Vec::with_capacity(items.len());
        for worker in workers {
            match worker.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all.sort_unstable_by_key(|(at, _)| *at);
        all.into_iter().map(|(_, outcome)| outcome).collect()
    })
}

/// An input that could not be read, as an entry with one `unreadable-file` error.
fn unreadable(name: String, err: &dyn std::fmt::Display) -> (SourceFile, Vec<Diagnostic>) {
    let diag = Diagnostic::error("unreadable-file", err.to_string(), Span::new(0, 0));
    (SourceFile::new(name, String::new()), vec![diag])
}

/// `--format jenkins`: what Jenkins' own linter says. Only the declarative validator runs;
/// like Jenkins, a file without `pipeline { }` is refused (status 1).
fn jenkins(source: &SourceFile, options: &LintOptions) -> (model::Validation, Exit) {
    let validation = model::validate_with(
        source,
        &model::Options {
            catalogue: options.model_catalogue(),
        },
    );
    let valid = format::jenkins::FileReport {
        source,
        declarative: validation.declarative,
        diagnostics: &validation.diagnostics,
    }
    .is_valid();
    let status = if valid { Exit::Success } else { Exit::Failure };
    (validation, status)
}

/// Counts findings for the closing line of the human format.
#[derive(Default)]
struct Tally {
    files: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Tally {
    fn add(&mut self, diags: &[Diagnostic]) {
        self.files += usize::from(!diags.is_empty());
        for d in diags {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.notes += 1,
            }
        }
    }

    /// `2 errors, 1 warning in 3 files`, or nothing when all is clean.
    fn summary(&self) -> Option<String> {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let parts: Vec<String> = [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.notes, "note"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|&(n, word)| plural(n, word))
        .collect();
        (!parts.is_empty())
            .then(|| format!("{} in {}", parts.join(", "), plural(self.files, "file")))
    }
}

fn status(diags: &[Diagnostic], deny_warnings: bool) -> Exit {
    let fails = |d: &Diagnostic| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    };
    if diags.iter().any(fails) {
        Exit::Failure
    } else {
        Exit::Success
    }
}

/// The directory whose configuration applies: the file's own, or the current one for stdin.
fn input_dir(input: &Input) -> PathBuf {
    match input {
        Input::File(path) => path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        Input::Stdin => PathBuf::from("."),
    }
}

fn options_for(
    loader: &Loader,
    dir: &Path,
    overrides: &Overrides,
) -> Result<LintOptions, Box<dyn miette::Diagnostic + Send + Sync>> {
    let config = loader
        .load(dir, overrides)
        .map_err(|e| Box::new(e) as Box<dyn miette::Diagnostic + Send + Sync>)?;
    LintOptions::from_config(&config)
        .map_err(|e| Box::new(e) as Box<dyn miette::Diagnostic + Send + Sync>)
}

fn overrides(args: &Args) -> Result<Overrides, String> {
    let mut rules = IndexMap::new();
    for (code, level) in &args.rule {
        let level: Level = level.parse().map_err(|e| format!("--rule {code}: {e}"))?;
        rules.insert(code.clone(), level);
    }
    for code in &args.disable {
        rules.insert(code.clone(), Level::Off);
    }
    let cwd = PathBuf::from(".");
    Ok(Overrides {
        config_file: args.config.clone(),
        rules,
        allowed_steps: Vec::new(),
        libraries: args
            .library
            .iter()
            .map(|(name, path)| (name.clone(), config::library(path, &cwd)))
            .collect(),
        plugin_catalogue: args.plugin_catalogue.clone(),
    })
}
