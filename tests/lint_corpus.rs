//! Lint over the real-world corpus, read in place from `../shared/corpus/real-world` (or
//! `$JENKINSFILE_CORPUS/real-world`): no file makes lint panic or point outside its text,
//! the findings reviewed by hand as true positives are still found, the constructs reviewed
//! as false-positive traps stay clean, and the counts per rule are printed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use jenkinsfile::lint::{self, LintOptions};
use jenkinsfile::source::SourceFile;

/// Reviewed true positives: (file prefix, line, code).
const EXPECTED: &[(&str, usize, &str)] = &[
    ("0006-", 51, "sh-bashism"),            // `for i in {1..30}` under sh
    ("0087-", 167, "sh-bashism"),           // `(( count++ >= 5 ))`
    ("0121-", 26, "sh-bashism"),            // `sh 'source …'`
    ("0306-", 118, "sh-bashism"),           // `shopt -s nullglob globstar`
    ("0404-", 61, "secret-interpolation"),  // `-p ${DEV_JENKINS_PSW}`
    ("0219-", 17, "secret-interpolation"),  // `docker login -u ${USERNAME} -p ${PASSWORD}`
    ("0397-", 100, "secret-interpolation"), // usernameColonPassword in `curl -u`
    ("0055-", 207, "unpinned-image"),       // `…:latest`
    ("0040-", 87, "unpinned-image"),        // docker.image('…') without a tag
    ("0096-", 539, "unknown-step"),         // `environment { }` inside a scripted stage
    ("0186-", 67, "unknown-step"),          // `steps { }` inside `script { }`
];

/// Reviewed traps that must stay clean: (file prefix, line, code).
const CLEAN: &[(&str, usize, &str)] = &[
    ("0004-", 30, "sh-bashism"), // `&>` inside a single-quoted `ssh` command
    ("0094-", 91, "sh-bashism"), // `[[` after `#!/usr/bin/env bash`
    ("0103-", 69, "sh-bashism"), // same
];

fn corpus_dir() -> Option<PathBuf> {
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = root.join("real-world");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {}; CI must run the lint corpus test",
        dir.display()
    );
    say(&format!("lint corpus test skipped: no {}", dir.display()));
    None
}

#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

#[test]
fn lint_runs_over_the_real_world_corpus() {
    let Some(dir) = corpus_dir() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Jenkinsfile"))
        .collect();
    paths.sort();
    assert!(paths.len() > 400, "only {} corpus files", paths.len());
    let options = LintOptions::default();
    let mut failures = String::new();
    let mut counts: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut found: Vec<(String, usize, &'static str)> = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(source) = SourceFile::read(path) else {
            continue;
        };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| lint::check(&source, &options)));
        let Ok(diags) = outcome else {
            writeln!(failures, "{name}: lint panicked").unwrap();
            continue;
        };
        for d in &diags {
            let spans = std::iter::once(d.span).chain(d.secondary.iter().map(|l| l.span));
            for span in spans {
                if source.text.get(span.range()).is_none() {
                    writeln!(failures, "{name}: {} points outside the text", d.code).unwrap();
                }
            }
            *counts
                .entry((d.code, format!("{:?}", d.severity)))
                .or_default() += 1;
            let line = source.line_col(d.span.start as usize).line;
            found.push((name.clone(), line, d.code));
        }
    }
    let has = |(prefix, line, code): &(&str, usize, &str)| {
        found
            .iter()
            .any(|(f, l, c)| f.starts_with(prefix) && l == line && c == code)
    };
    for expected in EXPECTED {
        if !has(expected) {
            writeln!(failures, "missing reviewed finding {expected:?}").unwrap();
        }
    }
    for clean in CLEAN {
        if has(clean) {
            writeln!(failures, "false positive came back: {clean:?}").unwrap();
        }
    }
    let mut report = format!("lint over {} real-world files:\n", paths.len());
    for ((code, severity), n) in &counts {
        writeln!(report, "  {n:5}  {code} ({severity})").unwrap();
    }
    say(&report);
    assert!(failures.is_empty(), "{failures}");
}
