//! The parser against Groovy 2.4.21's own parser on two corpora read in place from
//! `../shared/corpus` (or `$JENKINSFILE_CORPUS`): `real-world/` (Jenkinsfiles from public
//! repositories) and `jenkins-conformance/` (the Declarative plugin's test resources). Each
//! corpus has a `groovy-verdicts.tsv` made by `../shared/tools/groovy-parse-verdicts.groovy`:
//! file, `ok` or `error`, and Groovy's first message line. Every file Groovy parses must parse
//! and every file it rejects must be rejected, except the entries of `KNOWN_DIVERGENCES`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax::{self, print};

/// The corpora, by folder name under the corpus directory.
const CORPORA: &[&str] = &["real-world", "jenkins-conformance"];

/// Files on which we knowingly disagree with Groovy: (path relative to the corpus directory,
/// e.g. `jenkins-conformance/invalid/x.groovy`; why). An entry that no longer disagrees fails
/// the test, so the table never outlives the divergence.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[];

/// One row of a `groovy-verdicts.tsv`.
struct Verdict {
    /// Relative to the corpus directory: `real-world/0001-….Jenkinsfile`.
    file: String,
    groovy_ok: bool,
    /// Groovy's first message line, for rejected files.
    message: String,
}

/// Our verdict on one file.
enum Outcome {
    Parsed {
        sexpr: String,
    },
    /// The first diagnostic, as `line:column: message`.
    Rejected(String),
}

/// The corpus directory, or `None` (after saying so) when it is absent outside CI.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let complete = CORPORA
        .iter()
        .all(|corpus| dir.join(corpus).join("groovy-verdicts.tsv").is_file());
    if complete {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {} (set JENKINSFILE_CORPUS to the `corpus` folder); CI must run \
         the corpus test",
        dir.display()
    );
    say(&format!(
        "corpus test skipped: no {}/{{{}}}/groovy-verdicts.tsv",
        dir.display(),
        CORPORA.join(",")
    ));
    None
}

#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

fn verdicts(dir: &Path, corpus: &str) -> Vec<Verdict> {
    let tsv = dir.join(corpus).join("groovy-verdicts.tsv");
    let text = std::fs::read_to_string(&tsv)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", tsv.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let file = fields.next().unwrap_or_default();
            let groovy_ok = match fields.next() {
                Some("ok") => true,
                Some("error") => false,
                other => panic!("{}: bad verdict {other:?} in `{line}`", tsv.display()),
            };
            Verdict {
                file: format!("{corpus}/{file}"),
                groovy_ok,
                message: fields.next().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

/// Parses and prints one file, turning a panic into a failure message naming the file.
fn run(dir: &Path, file: &str) -> Result<Outcome, String> {
    // A listed file that cannot be read is a broken corpus, not a rejection that could agree
    // with Groovy's `error` rows.
    let source = SourceFile::read(&dir.join(file)).map_err(|err| format!("{file}: {err}"))?;
    panic::catch_unwind(AssertUnwindSafe(|| match syntax::parse(&source) {
        Ok(tree) => Outcome::Parsed {
            sexpr: print::sexpr(&tree),
        },
        Err(diags) => Outcome::Rejected(diags.first().map_or_else(
            || "rejected without a diagnostic".to_owned(),
            |d| {
                let at = source.line_col(d.span.start as usize);
                format!("{}:{}: {}", at.line, at.column, d.message)
            },
        )),
    }))
    .map_err(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("non-string panic");
        format!("{file}: panicked: {why}")
    })
}

#[test]
fn parser_agrees_with_groovy() {
    let Some(dir) = corpus_dir() else { return };
    let known: BTreeSet<&str> = KNOWN_DIVERGENCES.iter().map(|&(file, _)| file).collect();
    let mut seen_known = BTreeSet::new();
    let mut failures = String::new();
    for corpus in CORPORA {
        let rows = verdicts(&dir, corpus);
        let (mut parsed, mut agree, mut known_here) = (0, 0, 0);
        for row in &rows {
            let ours = match run(&dir, &row.file) {
                Ok(outcome) => outcome,
                Err(panicked) => {
                    writeln!(failures, "{panicked}").unwrap();
                    continue;
                }
            };
            let we_ok = matches!(ours, Outcome::Parsed { .. });
            parsed += usize::from(we_ok);
            if we_ok == row.groovy_ok {
                agree += 1;
                continue;
            }
            if let Some(&file) = known.get(row.file.as_str()) {
                seen_known.insert(file);
                known_here += 1;
                continue;
            }
            match ours {
                Outcome::Parsed { .. } => writeln!(
                    failures,
                    "{}: Groovy rejects it ({}), we parse it",
                    row.file, row.message
                ),
                Outcome::Rejected(ours) => writeln!(
                    failures,
                    "{}: Groovy parses it, we reject it at {ours}",
                    row.file
                ),
            }
            .unwrap();
        }
        say(&format!(
            "{corpus}: {} files, {parsed} parse, {} rejected, {agree} agree with Groovy, {} disagree \
             ({known_here} of them known divergences)",
            rows.len(),
            rows.len() - parsed,
            rows.len() - agree,
        ));
    }
    for (file, reason) in KNOWN_DIVERGENCES {
        if !seen_known.contains(file) {
            writeln!(
                failures,
                "{file}: stale KNOWN_DIVERGENCES entry ({reason}): we now agree with Groovy, or \
                 the file is gone; remove the entry"
            )
            .unwrap();
        }
    }
    say(&format!(
        "known divergences: {} listed, {} seen",
        KNOWN_DIVERGENCES.len(),
        seen_known.len()
    ));
    assert!(
        failures.is_empty(),
        "the parser and Groovy 2.4 disagree (add a file to KNOWN_DIVERGENCES only with a reason):\n{failures}"
    );
}

/// Every corpus file, accepted or not, parses without panicking, and every parsed file prints.
#[test]
fn corpus_never_panics_and_every_tree_prints() {
    let Some(dir) = corpus_dir() else { return };
    let mut failures = String::new();
    for corpus in CORPORA {
        for row in verdicts(&dir, corpus) {
            match run(&dir, &row.file) {
                Err(panicked) => writeln!(failures, "{panicked}").unwrap(),
                Ok(Outcome::Parsed { sexpr }) if sexpr.trim().is_empty() => {
                    writeln!(
                        failures,
                        "{}: parses, but its S-expression is empty",
                        row.file
                    )
                    .unwrap();
                }
                Ok(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
