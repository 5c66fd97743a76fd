//! `--format jenkins` against outputs written by hand from `declarative-model.md` §2: Jenkins'
//! CLI linter prints `WorkflowScript: L: message @ line L, column C.`, the source line indented
//! by three spaces and a caret under column C (a 40-column window when C > 40), one blank line
//! after each error, parse errors before validation errors, at most 10 errors.

use std::path::{Path, PathBuf};

use jenkinsfile::lint::format::jenkins::{FileReport, render, render_file};
use jenkinsfile::model::{self, Options};
use jenkinsfile::source::SourceFile;

fn fixture(name: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/model")
        .join(name);
    SourceFile::new(name, std::fs::read_to_string(path).unwrap())
}

fn jenkins(source: &SourceFile) -> String {
    let v = model::validate_with(source, &Options::default());
    render_file(&FileReport {
        source,
        declarative: v.declarative,
        diagnostics: &v.diagnostics,
    })
}

#[test]
fn missing_agent_points_at_the_pipeline_line() {
    assert_eq!(
        jenkins(&fixture("invalid/missing-agent.Jenkinsfile")),
        "Errors encountered validating Jenkinsfile:\n\
         WorkflowScript: 2: Missing required section \"agent\" @ line 2, column 1.\n\
         \x20  pipeline {\n\
         \x20  ^\n\
         \n"
    );
}

#[test]
fn duplicate_stage_names_come_after_the_parse_errors() {
    assert_eq!(
        jenkins(&fixture("invalid/duplicate-stage-names.Jenkinsfile")),
        "Errors encountered validating Jenkinsfile:\n\
         WorkflowScript: 9: Unknown stage section \"echo\". Starting with version 0.5, steps in a stage must be in a ‘steps’ block. @ line 9, column 9.\n\
         \x20          stage('Test') {\n\
         \x20          ^\n\
         \n\
         WorkflowScript: 3: Duplicate stage name: \"Test\" @ line 3, column 5.\n\
         \x20      stages {\n\
         \x20      ^\n\
         \n\
         WorkflowScript: 9: Expected one of \"steps\", \"stages\", or \"parallel\" for stage \"Test\" @ line 9, column 9.\n\
         \x20          stage('Test') {\n\
         \x20          ^\n\
         \n"
    );
}

#[test]
fn empty_environment_points_at_the_section() {
    assert_eq!(
        jenkins(&fixture("invalid/empty-environment.Jenkinsfile")),
        "Errors encountered validating Jenkinsfile:\n\
         WorkflowScript: 3: No variables specified for environment @ line 3, column 5.\n\
         \x20      environment {\n\
         \x20      ^\n\
         \n"
    );
}

#[test]
fn a_column_past_40_shows_a_window_of_the_line() {
    // Column 80: the excerpt is columns 50..=85 (the line ends there), the caret 30 columns in.
    assert_eq!(
        jenkins(&fixture("invalid/wrong-parameter-type.Jenkinsfile")),
        "Errors encountered validating Jenkinsfile:\n\
         WorkflowScript: 4: Expecting \"boolean\" for parameter \"defaultValue\" but got \"yes\" of type class java.lang.String instead @ line 4, column 80.\n\
         \x20  : 'only print', defaultValue: 'yes')\n\
         \x20                                ^\n\
         \n"
    );
}

#[test]
fn a_valid_file_is_successfully_validated() {
    assert_eq!(
        jenkins(&fixture("valid/everything.Jenkinsfile")),
        "Jenkinsfile successfully validated.\n"
    );
}

#[test]
fn a_scripted_file_is_refused_with_its_content() {
    let source = SourceFile::new("Jenkinsfile", "node {\n    sh 'make'\n}\n");
    assert_eq!(
        jenkins(&source),
        "Jenkinsfile content 'node {\n    sh 'make'\n}\n' did not contain the 'pipeline' step\n"
    );
}

#[test]
fn at_most_ten_errors_are_printed() {
    let out = jenkins(&fixture("invalid/more-than-ten-errors.Jenkinsfile"));
    assert_eq!(out.matches("WorkflowScript: ").count(), 10, "{out}");
    // The first validation error comes after every parse error.
    let parse = out.find("Unknown stage section \"sh\"").unwrap();
    let validation = out.find("Duplicate stage name: \"a\"").unwrap();
    assert!(parse < validation);
}

#[test]
fn message_format_has_dropped_the_apostrophes() {
    let out = jenkins(&fixture("invalid/unknown-option-type.Jenkinsfile"));
    assert!(
        out.contains("The \"parameters\" job property cant be used in the \"options\" directive. Use the \"parameters {...}\" directive instead. @ line 6, column 9.\n"),
        "{out}"
    );
}

#[test]
fn several_files_each_get_a_header() {
    let good = fixture("valid/everything.Jenkinsfile");
    let bad = fixture("invalid/empty-environment.Jenkinsfile");
    let reports: Vec<_> = [&good, &bad]
        .into_iter()
        .map(|s| (s, model::validate_with(s, &Options::default())))
        .collect();
    let files: Vec<FileReport<'_>> = reports
        .iter()
        .map(|(s, v)| FileReport {
            source: s,
            declarative: v.declarative,
            diagnostics: &v.diagnostics,
        })
        .collect();
    assert_eq!(
        render(&files),
        "==> valid/everything.Jenkinsfile <==\n\
         Jenkinsfile successfully validated.\n\
         \n\
         ==> invalid/empty-environment.Jenkinsfile <==\n\
         Errors encountered validating Jenkinsfile:\n\
         WorkflowScript: 3: No variables specified for environment @ line 3, column 5.\n\
         \x20      environment {\n\
         \x20      ^\n\
         \n"
    );
}

/// The reference's own examples, on the corpus files they were derived from (read in place).
fn corpus_file(name: &str) -> Option<SourceFile> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let path = dir.join("jenkins-conformance/invalid").join(name);
    if !path.is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "corpus file {} missing",
            path.display()
        );
        return None;
    }
    Some(SourceFile::read(&path).unwrap())
}

#[test]
fn the_reference_examples_are_reproduced_exactly() {
    let cases = [
        (
            "missingAgent.groovy",
            "Errors encountered validating Jenkinsfile:\n\
             WorkflowScript: 25: Missing required section \"agent\" @ line 25, column 1.\n\
             \x20  pipeline {\n\
             \x20  ^\n\
             \n",
        ),
        (
            "duplicateStageNames.groovy",
            "Errors encountered validating Jenkinsfile:\n\
             WorkflowScript: 27: Duplicate stage name: \"foo\" @ line 27, column 5.\n\
             \x20      stages {\n\
             \x20      ^\n\
             \n\
             WorkflowScript: 33: Expected one of \"steps\", \"stages\", or \"parallel\" for stage \"bar\" @ line 33, column 9.\n\
             \x20          stage(\"bar\") {\n\
             \x20          ^\n\
             \n",
        ),
        (
            "emptyEnvironment.groovy",
            "Errors encountered validating Jenkinsfile:\n\
             WorkflowScript: 26: No variables specified for environment @ line 26, column 5.\n\
             \x20      environment {\n\
             \x20      ^\n\
             \n",
        ),
        (
            "malformed.groovy",
            "Errors encountered validating Jenkinsfile:\n\
             WorkflowScript: 9: expecting '}', found '' @ line 9, column 2.\n\
             \x20  }\n\
             \x20   ^\n\
             \n",
        ),
    ];
    for (name, expected) in cases {
        let Some(source) = corpus_file(name) else {
            return;
        };
        assert_eq!(jenkins(&source), expected, "{name}");
    }
}
