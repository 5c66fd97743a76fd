//! Every diagnostic whose help offers a did-you-mean carries the quick fix that applies it:
//! checked over hand-written misspellings of each kind of name, and over every file of the
//! conformance and real-world corpora (read in place), so a new did-you-mean without a fix
//! fails here rather than in an editor.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jenkinsfile::diagnostic::Diagnostic;
use jenkinsfile::lint::{self, LintOptions};
use jenkinsfile::source::SourceFile;

/// One misspelling per place a did-you-mean is made: (text, misspelt, meant).
const MISSPELT: &[(&str, &str, &str)] = &[
    (
        "pipeline {\n  agent any\n  stages { stage('a') { steps { echo 'x' } } }\n  post { failur { echo 'x' } }\n}\n",
        "failur",
        "failure",
    ),
    (
        "pipeline {\n  agent any\n  options { timout(time: 1, unit: 'HOURS') }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "timout",
        "timeout",
    ),
    (
        "pipeline {\n  agent any\n  triggers { cronn('H * * * *') }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "cronn",
        "cron",
    ),
    (
        "pipeline {\n  agent any\n  parameters { strin(name: 'A', defaultValue: '', description: '') }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "strin",
        "string",
    ),
    (
        "pipeline {\n  agent any\n  tools { mavn 'M3' }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "mavn",
        "maven",
    ),
    (
        "pipeline {\n  agent { dockr { image 'alpine:3' } }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "dockr",
        "docker",
    ),
    (
        "pipeline {\n  agent { docker { imag 'alpine:3' } }\n  stages { stage('a') { steps { echo 'x' } } }\n}\n",
        "imag",
        "image",
    ),
    (
        "pipeline {\n  agent any\n  stages { stage('a') { input { mesage 'ok?' }\n steps { echo 'x' } } }\n}\n",
        "mesage",
        "message",
    ),
    (
        "pipeline {\n  agent any\n  stages { stage('a') { when { branc 'main' }\n steps { echo 'x' } } }\n}\n",
        "branc",
        "branch",
    ),
    (
        "pipeline {\n  agent any\n  stagess { stage('a') { steps { echo 'x' } } }\n}\n",
        "stagess",
        "stages",
    ),
    ("node {\n  shh 'make'\n}\n", "shh", "sh"),
    ("node {\n  sh scrip: 'make'\n}\n", "scrip", "script"),
];

/// Our own wording: a help "did you mean `x`?". (Messages that quote Jenkins' own
/// "did you mean" name its nearest candidate however far; they are checked by sample only.)
fn offers_did_you_mean(d: &Diagnostic) -> bool {
    d.help
        .as_deref()
        .is_some_and(|h| h.contains("did you mean"))
}

fn says_did_you_mean(d: &Diagnostic) -> bool {
    offers_did_you_mean(d) || d.message.contains("did you mean")
}

/// What is wrong with `d`'s fix, if anything.
fn fix_problem(source: &SourceFile, d: &Diagnostic) -> Option<String> {
    let Some(fix) = &d.fix else {
        return Some(format!("`{}` offers {:?} without a fix", d.code, d.help));
    };
    let help = format!("{} {}", d.message, d.help.as_deref().unwrap_or_default());
    let ok = fix.edits.iter().any(|e| {
        source.text.get(e.span.range()).is_some()
            && (help.contains(&format!("`{}`", e.replacement))
                || help.contains(&format!("\"{}\"", e.replacement)))
    });
    (!ok).then(|| format!("`{}`: fix {:?} does not apply {help:?}", d.code, fix.edits))
}

#[test]
fn each_kind_of_misspelling_gets_its_fix() {
    let options = LintOptions::default();
    for (text, wrong, right) in MISSPELT {
        let source = SourceFile::new("Jenkinsfile", *text);
        let diags = lint::check(&source, &options);
        let d = diags
            .iter()
            .find(|d| says_did_you_mean(d) && source.slice(d.span) == *wrong)
            .unwrap_or_else(|| panic!("no did-you-mean for `{wrong}`: {diags:#?}"));
        assert_eq!(fix_problem(&source, d), None, "{text}");
        let fix = d.fix.as_ref().expect("checked above");
        let mut fixed = text.to_string();
        for e in fix.edits.iter().rev() {
            fixed.replace_range(e.span.range(), &e.replacement);
        }
        assert_eq!(fixed, text.replacen(wrong, right, 1));
        let after = lint::check(&SourceFile::new("Jenkinsfile", fixed.clone()), &options);
        assert!(
            !after.iter().any(|a| a.code == d.code && a.span == d.span),
            "the fix did not remove `{}` in\n{fixed}\n{after:#?}",
            d.code
        );
    }
}

fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if !root.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the corpus is missing at {}",
            root.display()
        );
        return None;
    }
    let mut files = Vec::new();
    for dir in [
        "jenkins-conformance/valid",
        "jenkins-conformance/invalid",
        "real-world",
    ] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    Some(files)
}

#[test]
fn every_did_you_mean_in_the_corpora_carries_a_fix() {
    let Some(files) = corpus_files() else { return };
    assert!(files.len() > 400, "only {} corpus files", files.len());
    let options = LintOptions::default();
    let mut failures = String::new();
    let mut checked = 0;
    for path in &files {
        let Ok(source) = SourceFile::read(path) else {
            continue;
        };
        for d in lint::check(&source, &options)
            .iter()
            .filter(|d| offers_did_you_mean(d))
        {
            checked += 1;
            if let Some(problem) = fix_problem(&source, d) {
                writeln!(failures, "{}: {problem}", path.display()).unwrap();
            }
        }
    }
    assert!(checked > 10, "only {checked} did-you-means in the corpora");
    assert!(failures.is_empty(), "{failures}");
}
