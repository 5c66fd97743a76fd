//! Our Declarative validator against Jenkins' own, on two corpora read in place from
//! `../shared/corpus` (or `$JENKINSFILE_CORPUS`):
//!
//! * `jenkins-conformance/`: the Declarative plugin's test resources with the verdict and the
//!   messages its tests assert (`manifest.tsv`). The rows that count are every valid one and
//!   every invalid one whose phase is `declarative` or `groovy-parse`, plus the
//!   `declarative-env` ones a catalogue can express. They are validated with the plugin's test
//!   environment (`test_catalogue`): its test-only agent type, options and triggers, its Maven
//!   installation, and without the Docker and Kubernetes agents it does not install. Verdicts must agree on
//!   every counted file; each expected message must appear in our `--format jenkins` output for
//!   at least 95% of the invalid ones, and every file where one does not is listed in
//!   `KNOWN_DIVERGENCES` with the reason.
//! * `real-world/`: every file that parses must give no model error, except `REAL_WORLD_REJECTED`
//!   (files Jenkins rejects too).
//! * both corpora's `groovy-verdicts.tsv`: for every file Groovy 2.4 rejects, our first
//!   `--format jenkins` line is Groovy's, except `GROOVY_FORM_DIVERGENCES`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jenkinsfile::diagnostic::Severity;
use jenkinsfile::lint::format::jenkins::{self, FileReport};
use jenkinsfile::model::catalogue::Kind;
use jenkinsfile::model::{self, Catalogue, Options};
use jenkinsfile::source::SourceFile;

/// Invalid rows whose expected message we do not print, with the reason. An entry that no
/// longer diverges fails the test.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[];

/// Valid rows on which our verdict knowingly differs, with the reason. An entry that no longer
/// differs fails the test.
const VERDICT_DIVERGENCES: &[(&str, &str)] = &[
    (
        "valid/matrixStagesGroupsAndStages.groovy",
        "only evidence is an @Ignore'd test; its matrix has no `axes`, which the asserted \
         invalid/matrixMissingAxes.groovy shows Jenkins rejects with `Missing required section \"axes\"`",
    ),
    (
        "valid/matrixStagesHaveStatusAndPost.groovy",
        "only evidence is an @Ignore'd test; matrix without `axes` (see matrixMissingAxes)",
    ),
    (
        "valid/matrixStagesNestedInSequential.groovy",
        "only evidence is an @Ignore'd test; matrix without `axes` (see matrixMissingAxes)",
    ),
    (
        "valid/matrixStagesShouldntTriggerNSE.groovy",
        "only evidence is an @Ignore'd test; matrix without `axes` (see matrixMissingAxes)",
    ),
];

/// `declarative-env` rows left out of the count: their verdict needs a test-only validator
/// contributor of the plugin's harness, which a catalogue cannot express. (The other
/// `declarative-env` rows count, under `test_catalogue`.)
const TEST_ONLY: &[(&str, &str)] = &[
    (
        "invalid/optionValidatorContributor.groovy",
        "test-only TestDupeContributor rejects every option; valid in a stock Jenkins",
    ),
    (
        "invalid/postValidatorContributor.groovy",
        "test-only TestDupeContributor rejects every post section; valid in a stock Jenkins",
    ),
    (
        "invalid/validatorContributor.groovy",
        "test-only RejectTestProperty contributor rejects the test-only option testProperty",
    ),
];

/// Real-world files that parse but that Jenkins' validator rejects too.
const REAL_WORLD_REJECTED: &[(&str, &str)] = &[
    (
        "0035-ACWI-SOGW-statistics-Jenkinsfile.build.Jenkinsfile",
        "`when { expression(params.X) }`: the `expression` condition needs a code block",
    ),
    (
        "0111-AyodeAwe-rmm-ci_Jenkinsfile.Jenkinsfile",
        "`agent { label 'x'; docker 'y' }`: only one agent type per agent section",
    ),
    (
        "0126-CanalTP-fabric_navitia-jenkins_Jenkinsfile.Jenkinsfile",
        "a step (`git`) directly in a stage, outside `steps { }`",
    ),
    (
        "0133-CDH-Studio-I-Talent-Jenkinsfile.Jenkinsfile",
        "`post('workspace cleanup') { … }`: `post` takes a block and no argument",
    ),
    (
        "0152-Chinmay-Legion-playwright-e2e-demo-Jenkinsfile.Jenkinsfile",
        "`agent any { docker { … } }`: neither a bare agent nor an agent block",
    ),
    (
        "0232-eclipse-capella-Jenkinsfile.simrel.capella-packages-build.Jenkinsfile",
        "environment values `${A}-N${B}` without quotes: Groovy reads closures and a minus",
    ),
    (
        "0257-elastic-apm-pipeline-library-ci_dockerImagesOpbeans.groovy.Jenkinsfile",
        "`booleanParam(defaultValue: \"false\")`: Jenkins checks literal types (a String for a boolean)",
    ),
    (
        "0425-openenclave-openenclave-jenkins_pipelines_Intel_Linux_Jenkinsfile.Jenkinsfile",
        "`booleanParam(defaultValue: 'false')`: Jenkins checks literal types (a String for a boolean)",
    ),
    (
        "0442-ROCm-composable_kernel-Jenkinsfile.Jenkinsfile",
        "`def x = …` inside `environment { }`: only `NAME = value` pairs",
    ),
];

/// Real-world files Jenkins accepts but where the step catalogue (`stdlib/steps`, catalogue
/// branch) lacks a parameter the file uses, so that `check_call` reports it unknown.
const REAL_WORLD_STUB_GAPS: &[(&str, &str)] = &[];

/// The test-only extensions registered by the plugin's own test harness, and the plugin set
/// it runs with (no Docker or Kubernetes agents).
fn test_catalogue() -> Catalogue {
    let mut cat = Catalogue::builtin().clone();
    for agent in ["docker", "dockerfile", "kubernetes"] {
        cat.remove(Kind::Agent, agent);
    }
    cat.add_toml(
        "plugin-test-harness.toml",
        r#"
        [agent.otherField]
        plugin = "pipeline-model-definition (tests)"
        params = ["label:String!", "otherField:String!", "nested:any"]

        [option.testProperty]
        plugin = "pipeline-model-definition (tests)"
        kind = "property"

        [option.multiArgCtorProp]
        plugin = "pipeline-model-definition (tests)"
        kind = "property"
        params = ["first:String!", "second:int!"]

        [tool.maven]
        plugin = "maven-plugin"
        installs = ["apache-maven-3.0.1", "apache-maven-3.5.0"]

        [trigger.testtrigger]
        plugin = "pipeline-model-definition (tests)"
        params = ["name:String"]

        [trigger.testtriggerb]
        plugin = "pipeline-model-definition (tests)"
        params = ["name:String"]
        "#,
    )
    .expect("the test catalogue parses");
    cat
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if dir.join("jenkins-conformance/manifest.tsv").is_file()
        && dir.join("real-world/groovy-verdicts.tsv").is_file()
    {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {} (set JENKINSFILE_CORPUS); CI must run the conformance test",
        dir.display()
    );
    say(&format!(
        "conformance test skipped: no corpus at {}",
        dir.display()
    ));
    None
}

#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

struct Row {
    file: String,
    valid: bool,
    messages: Vec<String>,
    phase: String,
}

fn manifest(dir: &Path) -> Vec<Row> {
    let path = dir.join("jenkins-conformance/manifest.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(cols.len() >= 8, "short manifest row: {line}");
            Row {
                file: cols[0].to_owned(),
                valid: cols[1] == "valid",
                messages: cols[2]
                    .split(" || ")
                    .filter(|m| !m.is_empty())
                    // The build log's header; the linter form has none (see the corpus README).
                    .filter(|m| *m != "MultipleCompilationErrorsException: startup failed:")
                    .map(str::to_owned)
                    .collect(),
                phase: cols[5].to_owned(),
            }
        })
        .collect()
}

/// Our `--format jenkins` output and verdict for one file.
fn lint(path: &Path, name: &str, options: Options<'_>) -> (bool, String) {
    let source = SourceFile::read(path).unwrap_or_else(|err| panic!("{name}: {err}"));
    let validation = model::validate_with(&source, &options);
    let report = FileReport {
        source: &source,
        declarative: validation.declarative,
        diagnostics: &validation.diagnostics,
    };
    // Jenkins' verdict is "it compiles": a scripted file (no `pipeline` block) does, although
    // the linter refuses to validate it.
    let compiles = !validation
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    (compiles, jenkins::render_file(&report))
}

#[test]
fn declarative_validator_agrees_with_jenkins() {
    let Some(dir) = corpus_dir() else { return };
    let cat = test_catalogue();
    let options = Options { catalogue: &cat };
    let known: BTreeSet<&str> = KNOWN_DIVERGENCES.iter().map(|&(f, _)| f).collect();
    let verdict_known: BTreeSet<&str> = VERDICT_DIVERGENCES.iter().map(|&(f, _)| f).collect();
    let mut seen_verdict = BTreeSet::new();
    let test_only: BTreeSet<&str> = TEST_ONLY.iter().map(|&(f, _)| f).collect();
    let mut seen_known = BTreeSet::new();
    let mut failures = String::new();
    let (mut counted, mut verdicts_agree, mut invalid, mut contained) = (0, 0, 0, 0);
    // The same counts without the `declarative-env` rows.
    let (mut core_invalid, mut core_contained) = (0, 0);
    for row in manifest(&dir) {
        let counts = row.valid
            || matches!(
                row.phase.as_str(),
                "declarative" | "groovy-parse" | "declarative-env"
            );
        if !counts || test_only.contains(row.file.as_str()) {
            continue;
        }
        counted += 1;
        let path = dir.join("jenkins-conformance").join(&row.file);
        let (ok, output) = lint(&path, &row.file, options);
        if ok == row.valid {
            verdicts_agree += 1;
        } else if verdict_known.contains(row.file.as_str()) {
            seen_verdict.insert(row.file.clone());
        } else {
            let expected = if row.valid { "valid" } else { "invalid" };
            writeln!(
                failures,
                "{}: verdict differs (Jenkins: {expected}); we print:\n{output}",
                row.file
            )
            .unwrap();
        }
        if row.valid {
            continue;
        }
        invalid += 1;
        let core = row.phase != "declarative-env";
        core_invalid += usize::from(core);
        let missing: Vec<&String> = row
            .messages
            .iter()
            .filter(|m| !output.contains(m.as_str()))
            .collect();
        if missing.is_empty() {
            contained += 1;
            core_contained += usize::from(core);
        } else if known.contains(row.file.as_str()) {
            seen_known.insert(row.file.clone());
        } else {
            writeln!(
                failures,
                "{}: expected message(s) missing: {missing:?}; we print:\n{output}",
                row.file
            )
            .unwrap();
        }
    }
    for (file, reason) in VERDICT_DIVERGENCES {
        if !seen_verdict.contains(*file) {
            writeln!(
                failures,
                "{file}: stale VERDICT_DIVERGENCES entry ({reason})"
            )
            .unwrap();
        }
    }
    for (file, reason) in KNOWN_DIVERGENCES {
        if !seen_known.contains(*file) {
            writeln!(failures, "{file}: stale KNOWN_DIVERGENCES entry ({reason})").unwrap();
        }
    }
    let percent = f64::from(contained) * 100.0 / f64::from(u32::try_from(invalid.max(1)).unwrap());
    say(&format!(
        "jenkins-conformance: {counted} rows count; verdicts agree on {verdicts_agree}/{counted}; \
         expected messages contained for {contained}/{invalid} invalid rows ({percent:.1}%); \
         {} known message divergences, {} known verdict divergences; without the \
         declarative-env rows: messages contained for {core_contained}/{core_invalid}",
        KNOWN_DIVERGENCES.len(),
        VERDICT_DIVERGENCES.len()
    ));
    assert!(failures.is_empty(), "{failures}");
    assert_eq!(verdicts_agree + seen_verdict.len(), counted);
    assert!(
        percent >= 95.0,
        "message containment {percent:.1}% is below 95%"
    );
}

#[test]
fn real_world_files_that_parse_have_no_model_errors() {
    let Some(dir) = corpus_dir() else { return };
    let rejected: BTreeSet<&str> = REAL_WORLD_REJECTED
        .iter()
        .chain(REAL_WORLD_STUB_GAPS)
        .map(|&(f, _)| f)
        .collect();
    let verdicts = std::fs::read_to_string(dir.join("real-world/groovy-verdicts.tsv")).unwrap();
    let mut failures = String::new();
    let (mut parsed, mut declarative, mut clean) = (0, 0, 0);
    let mut seen = BTreeSet::new();
    for line in verdicts.lines().filter(|l| !l.trim().is_empty()) {
        let file = line.split('\t').next().unwrap_or_default();
        let source = SourceFile::read(&dir.join("real-world").join(file)).unwrap();
        let Ok(tree) = jenkinsfile::syntax::parse(&source) else {
            continue;
        };
        parsed += 1;
        let (pipeline, diags) = model::build(&tree, &source);
        declarative += usize::from(pipeline.is_some());
        if diags.is_empty() {
            clean += 1;
            continue;
        }
        if rejected.contains(file) {
            seen.insert(file.to_owned());
            continue;
        }
        let mut shown = String::new();
        for d in &diags {
            let at = source.line_col(d.span.start as usize);
            writeln!(
                shown,
                "  {}:{}: {} [{}]",
                at.line, at.column, d.message, d.code
            )
            .unwrap();
        }
        writeln!(failures, "{file}:\n{shown}").unwrap();
    }
    for (file, reason) in REAL_WORLD_REJECTED.iter().chain(REAL_WORLD_STUB_GAPS) {
        if !seen.contains(*file) {
            writeln!(
                failures,
                "{file}: stale REAL_WORLD_REJECTED entry ({reason})"
            )
            .unwrap();
        }
    }
    say(&format!(
        "real-world: {parsed} files parse, {declarative} declarative, {clean} without model errors, \
         {} rejected as Jenkins does, {} rejected because of step-stub gaps",
        REAL_WORLD_REJECTED.len(),
        REAL_WORLD_STUB_GAPS.len()
    ));
    assert!(failures.is_empty(), "unexpected model errors:\n{failures}");
}

/// `lint` is as strict as Jenkins and no stricter: on the real-world files that parse, no
/// error-severity finding except on the files Jenkins' validator rejects too. Step-argument
/// mistakes outside Declarative `steps`/`post` are warnings (Jenkins only warns at run time).
#[test]
fn real_world_files_that_parse_have_no_lint_errors() {
    let Some(dir) = corpus_dir() else { return };
    let rejected: BTreeSet<&str> = REAL_WORLD_REJECTED
        .iter()
        .chain(REAL_WORLD_STUB_GAPS)
        .map(|&(f, _)| f)
        .collect();
    let verdicts = std::fs::read_to_string(dir.join("real-world/groovy-verdicts.tsv")).unwrap();
    let options = jenkinsfile::lint::LintOptions::default();
    let mut failures = String::new();
    let mut checked = 0;
    for line in verdicts.lines().filter(|l| !l.trim().is_empty()) {
        let file = line.split('\t').next().unwrap_or_default();
        let source = SourceFile::read(&dir.join("real-world").join(file)).unwrap();
        if jenkinsfile::syntax::parse(&source).is_err() || rejected.contains(file) {
            continue;
        }
        checked += 1;
        for d in jenkinsfile::lint::check(&source, &options) {
            if d.severity == Severity::Error {
                let at = source.line_col(d.span.start as usize);
                writeln!(
                    failures,
                    "{file}:{}:{}: {} [{}]",
                    at.line, at.column, d.message, d.code
                )
                .unwrap();
            }
        }
    }
    assert!(checked > 300, "only {checked} files checked");
    assert!(failures.is_empty(), "unexpected lint errors:\n{failures}");
}

/// Files whose Groovy error line we do not reproduce, with the reason.
const GROOVY_FORM_DIVERGENCES: &[(&str, &str)] = &[(
    "real-world/0153-Chinmay9113-cicd-pipeline-train-schedule-kubernetes-Jenkinsfile.Jenkinsfile",
    "Groovy lexes ‘kubeconfig’ (typographic quotes) as one token and reports `unexpected token`; \
     we report the quote character itself",
)];

/// For every file Groovy 2.4 rejects, our `--format jenkins` first line is Groovy's own
/// (`groovy-verdicts.tsv`: `<file>: L: message @ line L, column C.`), file name aside.
#[test]
fn syntax_errors_read_as_groovy_writes_them() {
    let Some(dir) = corpus_dir() else { return };
    let known: BTreeSet<&str> = GROOVY_FORM_DIVERGENCES.iter().map(|&(f, _)| f).collect();
    let mut seen = BTreeSet::new();
    let mut failures = String::new();
    let (mut rejected, mut same) = (0, 0);
    for corpus in ["jenkins-conformance", "real-world"] {
        let verdicts =
            std::fs::read_to_string(dir.join(corpus).join("groovy-verdicts.tsv")).unwrap();
        for line in verdicts.lines() {
            let mut cols = line.splitn(3, '\t');
            let (Some(file), Some("error"), Some(groovy)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let name = format!("{corpus}/{file}");
            let source = SourceFile::read(&dir.join(&name)).unwrap();
            let v = model::validate_with(&source, &Options::default());
            let Some(first) = v.diagnostics.first() else {
                writeln!(failures, "{name}: we accept it; Groovy: {groovy}").unwrap();
                continue;
            };
            rejected += 1;
            let ours = jenkins::error_block(first, &source);
            let ours = ours.lines().next().unwrap_or_default();
            let strip = |l: &str| l.split_once(": ").map(|(_, rest)| rest.trim().to_owned());
            // The verdict tool named the file by its path; Jenkins names every script so.
            let groovy = groovy.replace(&format!("File: {file}"), "File: WorkflowScript");
            if strip(ours) == strip(&groovy) {
                same += 1;
            } else if known.contains(name.as_str()) {
                seen.insert(name);
            } else {
                writeln!(failures, "{name}:\n  Groovy: {groovy}\n  ours:   {ours}").unwrap();
            }
        }
    }
    for (file, reason) in GROOVY_FORM_DIVERGENCES {
        if !seen.contains(*file) {
            writeln!(
                failures,
                "{file}: stale GROOVY_FORM_DIVERGENCES entry ({reason})"
            )
            .unwrap();
        }
    }
    say(&format!(
        "groovy syntax errors: {same}/{rejected} first lines as Groovy writes them"
    ));
    assert!(failures.is_empty(), "{failures}");
}
