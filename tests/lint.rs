//! Lint rules on their fixtures: `fixtures/lint/<rule>/invalid.Jenkinsfile` is snapshotted
//! (human render, which embeds the source) and must trigger its rule; `valid.Jenkinsfile`
//! must be clean under every rule. Also suppression comments and rule levels.

use std::path::Path;

use jenkinsfile::config::Level;
use jenkinsfile::diagnostic::{Diagnostic, RenderStyle, Severity, render};
use jenkinsfile::lint::{self, LibraryGlobals, LintOptions, RULES};
use jenkinsfile::source::SourceFile;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/lint");

fn read(path: &Path) -> SourceFile {
    let text = std::fs::read_to_string(path).unwrap();
    // A stable name, so snapshots do not depend on the checkout's location.
    let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
    SourceFile::new(rel.display().to_string(), text)
}

fn lint(text: &str) -> Vec<Diagnostic> {
    lint::check(
        &SourceFile::new("Jenkinsfile", text),
        &LintOptions::default(),
    )
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn every_rule_has_both_fixtures() {
    for rule in RULES {
        for kind in ["valid", "invalid"] {
            let path = Path::new(FIXTURES)
                .join(rule.code)
                .join(format!("{kind}.Jenkinsfile"));
            assert!(path.is_file(), "missing {}", path.display());
        }
    }
}

#[test]
fn invalid_fixtures_are_flagged() {
    insta::glob!("../fixtures/lint", "*/invalid.Jenkinsfile", |path| {
        let source = read(path);
        let rule = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let diags = lint::check(&source, &LintOptions::default());
        assert!(
            diags.iter().any(|d| d.code == rule),
            "{}: no `{rule}` finding in {:?}",
            source.name,
            codes(&diags)
        );
        insta::assert_snapshot!(render(&diags, &source, RenderStyle::PLAIN));
    });
}

#[test]
fn valid_fixtures_are_clean() {
    let mut dirty = Vec::new();
    for rule in RULES {
        let path = Path::new(FIXTURES)
            .join(rule.code)
            .join("valid.Jenkinsfile");
        let source = read(&path);
        let diags = lint::check(&source, &LintOptions::default());
        if !diags.is_empty() {
            dirty.push(render(&diags, &source, RenderStyle::PLAIN));
        }
    }
    assert!(dirty.is_empty(), "{}", dirty.join("\n"));
}

#[test]
fn valid_fixtures_snapshot_as_clean_reports() {
    // The JSON report of each valid fixture: it names the file and counts no findings, so a
    // new false positive on a valid fixture changes the snapshot as well as failing above.
    insta::glob!("../fixtures/lint", "*/valid.Jenkinsfile", |path| {
        let source = read(path);
        let diags = lint::check(&source, &LintOptions::default());
        let report =
            jenkinsfile::lint::format::json::render(&[jenkinsfile::lint::format::FileReport {
                source: &source,
                diagnostics: &diags,
            }]);
        insta::assert_snapshot!(report);
    });
}

#[test]
fn a_syntax_error_is_reported_instead_of_rules() {
    let diags = lint("node {\n    sh 'source x'\n");
    assert_eq!(codes(&diags), ["syntax-error"]);
    assert_eq!(diags[0].severity, Severity::Error);
}

#[test]
fn everything_is_checked_inside_script_blocks_and_scripted_pipelines() {
    let text = "\
pipeline {
    agent any
    stages { stage('a') { steps { script { sh 'source a' } } } }
}
node('linux') {
    stage('b') { sh 'source b' }
}
def helper() { sh 'source c' }
";
    let lines: Vec<usize> = lint(text)
        .iter()
        .map(|d| text[..d.span.start as usize].lines().count())
        .collect();
    assert_eq!(lines, [3, 6, 8]);
}

#[test]
fn a_comment_suppresses_on_its_line_and_alone_on_the_line_above() {
    let text = "\
node {
    sh 'source a' // jenkinsfile: ignore[sh-bashism]
    // jenkinsfile: ignore[cps-closure-method, sh-bashism]
    sh 'source b'
    sh 'source c'
    sh 'source d' // jenkinsfile: ignore[unpinned-image]
    def s = 'x // jenkinsfile: ignore[sh-bashism]'
    sh 'source e'
    /* jenkinsfile: ignore[sh-bashism] */ sh 'source f'
}
";
    let lines: Vec<usize> = lint(text)
        .iter()
        .map(|d| text[..d.span.start as usize].lines().count())
        .collect();
    // c: the comment two lines up does not reach it; d: another rule's code; e: the text
    // inside a string is no comment.
    assert_eq!(lines, [5, 6, 8]);
}

#[test]
fn a_trailing_comment_does_not_reach_the_next_line() {
    let text = "node {\n    echo 'x' // jenkinsfile: ignore[sh-bashism]\n    sh 'source a'\n}\n";
    assert_eq!(codes(&lint(text)), ["sh-bashism"]);
}

#[test]
fn levels_override_and_disable_rules() {
    let text = "node {\n    sh 'source a'\n    docker.image('x').pull()\n}\n";
    let source = SourceFile::new("Jenkinsfile", text);
    let mut options = LintOptions::default();
    options.levels.insert("sh-bashism".into(), Level::Error);
    options.levels.insert("unpinned-image".into(), Level::Off);
    let diags = lint::check(&source, &options);
    assert_eq!(codes(&diags), ["sh-bashism"]);
    assert_eq!(diags[0].severity, Severity::Error);
}

#[test]
fn the_secret_fix_rewrites_the_string_with_single_quotes() {
    let text = "node {\n    withCredentials([string(credentialsId: 'a', variable: 'T')]) {\n        sh \"curl -H 'X: $T' -d \\\"${env.T}x\\\" u\"\n    }\n}\n";
    let diags = lint(text);
    assert_eq!(
        codes(&diags),
        ["secret-interpolation", "secret-interpolation"]
    );
    let fix = diags[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.edits.len(), 1);
    assert_eq!(
        fix.edits[0].replacement,
        r#"'curl -H \'X: \'"${T}"\'\' -d "${T}x" u'"#
    );
    assert!(diags[1].fix.is_none(), "one edit per string");
}

#[test]
fn no_fix_when_the_string_interpolates_something_else() {
    let text = "node {\n    withCredentials([string(credentialsId: 'a', variable: 'T')]) {\n        sh \"deploy ${params.ENV} $T\"\n    }\n}\n";
    let diags = lint(text);
    assert_eq!(codes(&diags), ["secret-interpolation"]);
    assert!(diags[0].fix.is_none());
}

#[test]
fn a_secret_behind_a_method_call_or_concatenated_is_flagged() {
    let text = "node {\n    withCredentials([string(credentialsId: 'a', variable: 'T')]) {\n        sh \"curl -H ${T.trim()} u\"\n        sh 'curl -H ' + T + ' u'\n        sh \"a \" + env.T.toUpperCase()\n        sh 'curl -H $T u'\n    }\n}\n";
    let diags = lint(text);
    let lines: Vec<(&str, usize)> = diags
        .iter()
        .map(|d| {
            let line = text[..d.span.start as usize].matches('\n').count() + 1;
            (d.code, line)
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("secret-interpolation", 3),
            ("secret-interpolation", 4),
            ("secret-interpolation", 5)
        ]
    );
    assert!(
        diags[0].fix.is_none(),
        "no exact single-quote form of `${{T.trim()}}`"
    );
    assert!(
        diags[1].message.contains("concatenated"),
        "{}",
        diags[1].message
    );
}

const LIBRARY_USER: &str = "\
@Library('shared@v2') _
node {
    deployApp env: 'prod'
    deplyApp env: 'prod'
}
";

#[test]
fn steps_of_an_unconfigured_library_are_notes() {
    let diags = lint(LIBRARY_USER);
    assert_eq!(codes(&diags), ["unknown-step", "unknown-step"]);
    assert!(diags.iter().all(|d| d.severity == Severity::Info));
    assert_eq!(
        diags[0].message,
        "`deployApp` is not a known step; it may come from library `shared`"
    );
}

#[test]
fn a_configured_library_provides_its_globals() {
    let source = SourceFile::new("Jenkinsfile", LIBRARY_USER);
    let mut options = LintOptions::default();
    options.libraries.insert(
        "shared".into(),
        LibraryGlobals::Known(vec!["deployApp".into(), "notify".into()]),
    );
    let diags = lint::check(&source, &options);
    assert_eq!(codes(&diags), ["unknown-step"]);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].message, "unknown step `deplyApp`");
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `deployApp`?"));
}

#[test]
fn the_library_step_loads_a_library_too() {
    let diags = lint("library identifier: 'tools@main'\nnode { runTool() }\n");
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.ends_with("library `tools`"),
        "{}",
        diags[0].message
    );
}

#[test]
fn allowed_steps_are_known() {
    let source = SourceFile::new("Jenkinsfile", "node { customStep 'x' }\n");
    let mut options = LintOptions::default();
    options.allowed_steps.push("customStep".into());
    assert!(lint::check(&source, &options).is_empty());
}

#[test]
fn declarative_errors_come_from_the_validator() {
    let diags = lint("pipeline {\n    agent any\n}\n");
    assert_eq!(codes(&diags), ["missing-stages"]);
    assert_eq!(diags[0].severity, Severity::Error);
}

#[test]
fn methods_of_catalogued_globals_have_their_arguments_checked() {
    let diags = lint(
        "node {\n    docker.build('app', '.', 'extra')\n    docker.image('app:1').pull()\n}\n",
    );
    assert_eq!(codes(&diags), ["step-arguments"]);
    assert_eq!(diags[0].severity, Severity::Warning);
    // A variable of the file named like a global is not the global.
    let diags = lint("def docker = [:]\nnode {\n    docker.build('app', '.', 'extra')\n}\n");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn a_level_applies_to_findings_at_the_rules_default_severity() {
    let source = SourceFile::new("Jenkinsfile", LIBRARY_USER);
    let mut options = LintOptions::default();
    options.levels.insert("unknown-step".into(), Level::Error);
    let diags = lint::check(&source, &options);
    assert_eq!(codes(&diags), ["unknown-step", "unknown-step"]);
    assert!(
        diags.iter().all(|d| d.severity == Severity::Info),
        "notes stay notes"
    );
}

#[test]
fn step_arguments_are_jenkins_errors_only_where_the_validator_looks() {
    let text = "\
pipeline {
    agent any
    stages { stage('a') { steps {
        sh scriptt: 'x'
        script { sh scriptt: 'y' }
    } } }
}
def f() { httpRequest url: 'u', method: 'GET' }
node { build() }
";
    let diags = lint(text);
    let found: Vec<(&str, Severity, bool)> = diags
        .iter()
        .map(|d| (d.code, d.severity, d.jenkins.is_some()))
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-parameter", Severity::Error, true),
            ("step-arguments", Severity::Warning, false),
            ("step-arguments", Severity::Warning, false),
            ("step-arguments", Severity::Warning, false),
        ]
    );
}

#[test]
fn step_arguments_are_notes_when_an_unconfigured_library_may_shadow_the_step() {
    let diags = lint("@Library('apm') _\ndef f() { httpRequest url: 'u', method: 'GET' }\n");
    assert_eq!(codes(&diags), ["step-arguments"]);
    assert_eq!(diags[0].severity, Severity::Info);
    assert!(
        diags[0]
            .message
            .ends_with("`httpRequest` may come from library `apm`"),
        "{}",
        diags[0].message
    );
}

#[test]
fn the_libraries_directive_loads_a_library() {
    let text = "\
pipeline {
    agent any
    libraries { lib('shared@main') }
    stages { stage('a') { steps { deployApp() } } }
}
";
    let diags = lint(text);
    assert_eq!(codes(&diags), ["unknown-step"]);
    assert_eq!(diags[0].severity, Severity::Info);
    assert_eq!(
        diags[0].message,
        "`deployApp` is not a known step; it may come from library `shared`"
    );
}

#[test]
fn wrapper_options_are_known_block_steps() {
    let text = "node {\n    timestamps { echo 'a' }\n    withBuildUser { echo 'b' }\n    gitlabBuilds(builds: ['a']) { echo 'c' }\n}\n";
    assert!(lint(text).is_empty(), "{:?}", lint(text));
    // Without a body it is no step.
    assert_eq!(
        codes(&lint("node {\n    gitlabBuilds(builds: ['a'])\n}\n")),
        ["unknown-step"]
    );
}

#[test]
fn a_closure_coerced_to_comparator_is_still_a_closure() {
    let diags =
        lint("node {\n    def xs = [2, 1]\n    xs.sort({ a, b -> a <=> b } as Comparator)\n}\n");
    assert_eq!(codes(&diags), ["cps-closure-method"]);
}

#[test]
fn unpinned_image_flags_only_images_that_are_pulled_or_run() {
    let text = "node {\n    docker.image('app').push('latest')\n    def b = docker.build('web')\n    docker.image('web').inside { echo 'x' }\n    docker.image('tool').run()\n}\n";
    let diags = lint(text);
    assert_eq!(codes(&diags), ["unpinned-image"]);
    assert_eq!(
        diags[0].message,
        "image `tool` has no tag, which means `latest`"
    );
}
