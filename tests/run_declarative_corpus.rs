//! The Declarative plugin's own test pipelines, run: every valid file of
//! `jenkins-conformance/` (read in place from `../shared/corpus` or `$JENKINSFILE_CORPUS`)
//! whose manifest row gives a `runtime_result` and needs nothing beyond a stock Jenkins
//! (`requires` empty). Each runs in a fresh build home, from a fresh git repository holding the
//! file as its `Jenkinsfile` (and the other files the plugin's test commits beside it, see
//! `OTHER_FILES`), as the plugin's `expect(…).go()` runs it from its sample repository; every
//! `input` is approved as the plugin's tests do. The test prints how many end with the result
//! Jenkins' tests expect, lists the others with their last error, checks the archived files the
//! plugin's test asserts (`ARCHIVES`), and fails when the count drops below the measured floor.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Measured (237 of 265 with the plugin tests' credentials, tools and repository files as
/// fixtures; every one of the 28 misses is in `EXCLUDED` with its reason); raise it as
/// capabilities arrive.
const FLOOR: usize = 237;

/// Files the plugin's test commits to its sample repository beside the Jenkinsfile
/// (`otherResource(resource, name)`), written here by hand from what the test asserts.
const OTHER_FILES: &[(&str, &str, &str)] = &[
    // EnvironmentTest.readFileInEnv: `readFileInEnv-data.txt` as `Version`; the test asserts
    // "Version is BANANA".
    ("valid/readFileInEnv.groovy", "Version", "BANANA\n"),
    // BuildConditionResponderTest.contextResultOverridesRunResult: a `junitResult.xml` with a
    // failing test, so that `junit` marks the build UNSTABLE.
    (
        "valid/contextResultOverridesRunResult.groovy",
        "junitResult.xml",
        JUNIT_WITH_A_FAILURE,
    ),
];

const JUNIT_WITH_A_FAILURE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="demo.SuiteTest" tests="2" failures="1" errors="0" skipped="0" time="0.02">
  <testcase classname="demo.SuiteTest" name="passes" time="0.01"/>
  <testcase classname="demo.SuiteTest" name="fails" time="0.01">
    <failure message="expected 1 but was 2" type="java.lang.AssertionError">java.lang.AssertionError: expected 1 but was 2</failure>
  </testcase>
</testsuite>
"#;

/// Archived files the plugin's test asserts (`.archives(name, content)`, compared ignoring
/// white space), with the `creds` credential of `OptionsTest` below.
const ARCHIVES: &[(&str, &[(&str, &str)])] = &[
    (
        "valid/withCredentialsWrapper.groovy",
        &[("userPass.txt", "bob:s3cr3t"), ("key.txt", "the-key")],
    ),
    (
        "valid/withCredentialsStageWrapper.groovy",
        &[("userPass.txt", "bob:s3cr3t"), ("key.txt", "the-key")],
    ),
];

/// Rows a local run cannot end as Jenkins does, with why: each needs a Jenkins controller, a
/// plugin or a test fixture this tool does not have, and the tool says "unsupported" (or
/// "No such DSL method") naming what is missing. The report shows the reason beside the miss.
const EXCLUDED: &[(&str, &str)] = &[
    ("valid/libraryAnnotation.groovy", SHARED_LIBRARY),
    (
        "valid/libraryObjectDefinedOutsidePipeline.groovy",
        SHARED_LIBRARY,
    ),
    ("valid/libraryObjectImportInWhenExpr.groovy", SHARED_LIBRARY),
    ("valid/libraryObjectInScript.groovy", SHARED_LIBRARY),
    (
        "valid/multiplePipelinesDefinedInLibraryFirst.groovy",
        SHARED_LIBRARY,
    ),
    (
        "valid/multiplePipelinesDefinedInLibrarySecond.groovy",
        SHARED_LIBRARY,
    ),
    (
        "valid/booleanParamBuildStep.groovy",
        "`build` triggers another job, which needs a Jenkins server",
    ),
    (
        "valid/htmlPublisher.groovy",
        "publishHTML needs the htmlpublisher plugin inside a controller",
    ),
    (
        "valid/inAbsoluteCustomWorkspace.groovy",
        "an absolute customWorkspace outside the build home: locally, steps that write there (the default checkout) are refused, so a build cannot write outside its home (issue 7, safety)",
    ),
    (
        "valid/metaStepSyntax.groovy",
        "`rhombus` is a step defined only by the plugin's test harness",
    ),
    ("valid/globalLibrarySuccess.groovy", SHARED_LIBRARY),
    ("valid/globalLibrarySuccessInScript.groovy", SHARED_LIBRARY),
    ("valid/librariesDirective.groovy", SHARED_LIBRARY),
    (
        "valid/librariesDirectiveWithOutsideVarAndFunc.groovy",
        SHARED_LIBRARY,
    ),
    ("valid/objectMethodPipelineCall.groovy", SHARED_LIBRARY),
    (
        "valid/serializationLibrariesGString.groovy",
        "`myecho` is a global variable of the test's shared library",
    ),
    (
        "valid/nonLiteralEnvironment.groovy",
        "`returnAThing` is a global variable of the test's shared library",
    ),
    (
        "valid/variableToMethodToEnvVal.groovy",
        "`returnAThing` is a global variable of the test's shared library",
    ),
    ("valid/agentOnGroup.groovy", AGENT_ENV),
    (
        "valid/matrixStageDirectivesWhenBeforeAgent.groovy",
        AGENT_ENV,
    ),
    (
        "valid/matrixStageDirectivesWhenBeforeAgentChildStage.groovy",
        AGENT_ENV,
    ),
    ("valid/parallelStagesAgentEnvWhen.groovy", AGENT_ENV),
    ("valid/parallelStagesGroupsAndStages.groovy", AGENT_ENV),
    ("valid/parallelStagesNestedInSequential.groovy", AGENT_ENV),
    ("valid/matrixStagesGroupsAndStages.groovy", MATRIX_NO_AXES),
    (
        "valid/matrixStagesNestedInSequential.groovy",
        MATRIX_NO_AXES,
    ),
    (
        "valid/matrixStagesShouldntTriggerNSE.groovy",
        MATRIX_NO_AXES,
    ),
    (
        "valid/fromEvaluate.groovy",
        "`readTrusted` reads from the job's SCM (a multibranch or \"from SCM\" job); the tool says No such DSL method",
    ),
];

const AGENT_ENV: &str = "WHICH_AGENT is an environment variable the test harness sets on its agents (a node property); locally there are no such agents";

const MATRIX_NO_AXES: &str = "a matrix without `axes`: Jenkins' validator rejects it too (Missing required section \"axes\"); the test is @Ignore'd, its SUCCESS only intended";

const SHARED_LIBRARY: &str =
    "a shared library configured in the test's Jenkins (global or folder libraries)";

/// A run that takes longer is stopped and counted as not matching.
const LIMIT: Duration = Duration::from_secs(60);

/// Shown with `--nocapture` (the count is the figure this test exists for).
#[expect(clippy::print_stdout, reason = "the test reports its counts")]
fn say(line: &str) {
    println!("{line}");
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let dir = dir.join("jenkins-conformance");
    if dir.join("manifest.tsv").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the corpus is missing at {} (set JENKINSFILE_CORPUS to the `corpus` folder); CI must run \
         the corpus test",
        dir.display()
    );
    say(&format!(
        "skipped: no conformance corpus at {}",
        dir.display()
    ));
    None
}

/// (file, expected results) for the rows this test runs.
fn rows(dir: &Path) -> Vec<(String, Vec<String>)> {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, verdict, result, requires) = (
        col("file"),
        col("verdict"),
        col("runtime_result"),
        col("requires"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[verdict] == "valid" && !f[result].is_empty() && f[requires].is_empty())
        .map(|f| {
            (
                f[file].to_string(),
                f[result].split('|').map(str::to_string).collect(),
            )
        })
        .collect()
}

/// The credentials the plugin's tests put in the Jenkins they start (`CredentialsTest`,
/// `EnvironmentTest`: string `cred1`…`cred3`, username/password `FOOcredentials`, file and SSH
/// credentials; `OptionsTest`: the SSH key `creds`), as a local store. Test values, no real
/// secret.
const CREDENTIALS: &str = r#"
[cred1]
type = "string"
secret = "cred1-secret"

[cred2]
type = "string"
secret = "cred2-secret"

[cred3]
type = "string"
secret = "cred3-secret"

[FOOcredentials]
type = "usernamePassword"
username = "bobby"
password = "s3cr37"

[fileCred]
type = "file"
file = "file-cred.txt"

[otherFileCred]
type = "file"
file = "other-file-cred.txt"

[sshCred]
type = "sshUserPrivateKey"
username = "ssh-user"
private_key = "ssh-private-key"

[sshWithPassCred]
type = "sshUserPrivateKey"
username = "ssh-user-2"
private_key = "ssh-private-key-2"
passphrase = "ssh-passphrase"

# OptionsTest.withCredentialsWrapper and withCredentialsStageWrapper: its DummyPrivateKey.
[creds]
type = "sshUserPrivateKey"
username = "bob"
private_key = "the-key"
passphrase = "s3cr3t"
"#;

/// The user configuration of each run: the tools the plugin's tests install
/// (`ToolInstallations.configureMaven3`/`configureMaven35` as `apache-maven-3.0.1` and
/// `apache-maven-3.5.0`, `configureDefaultAnt` as `default`), each a stand-in whose command
/// only prints a version line, and the credential store above.
fn user_config(home: &Path) {
    let config = home.join(".config/jenkinsfile");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("credentials.toml"), CREDENTIALS).unwrap();
    std::fs::write(config.join("file-cred.txt"), "file-cred-contents\n").unwrap();
    std::fs::write(
        config.join("other-file-cred.txt"),
        "other-file-cred-contents\n",
    )
    .unwrap();
    let mut tools = String::from("[tools]\n");
    for (name, dir, command, version) in [
        ("apache-maven-3.0.1", "maven3", "mvn", "Apache Maven 3.0.1"),
        ("apache-maven-3.5.0", "maven35", "mvn", "Apache Maven 3.5.0"),
        ("default", "ant", "ant", "Apache Ant(TM) version 1.10"),
    ] {
        let tool = home.join("tools").join(dir);
        std::fs::create_dir_all(tool.join("bin")).unwrap();
        let bin = tool.join("bin").join(command);
        std::fs::write(&bin, format!("#!/bin/sh\necho '{version} (stand-in)'\n")).unwrap();
        let mut perms = std::fs::metadata(&bin).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&bin, perms).unwrap();
        writeln!(tools, "\"{name}\" = \"{}\"", tool.display()).unwrap();
    }
    std::fs::write(config.join("config.toml"), tools).unwrap();
    // The store warns about files others can read.
    for file in ["credentials.toml", "file-cred.txt", "other-file-cred.txt"] {
        let path = config.join(file);
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
        std::fs::set_permissions(&path, perms).unwrap();
    }
}

/// A git repository at `dir` whose one commit holds `jenkinsfile` as `Jenkinsfile` and the
/// row's `OTHER_FILES`, as the plugin's `prepRepoWithJenkinsfile` commits them.
fn sample_repo(dir: &Path, row: &str, jenkinsfile: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(jenkinsfile, dir.join("Jenkinsfile")).unwrap();
    for (_, name, text) in OTHER_FILES.iter().filter(|(r, _, _)| *r == row) {
        std::fs::write(dir.join(name), text).unwrap();
    }
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=sample",
            "-c",
            "user.email=sample@localhost",
            "commit",
            "-q",
            "-m",
            "files",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?} in {}", dir.display());
    }
}

/// What one run ended with.
struct Outcome {
    /// The `Finished:` result.
    result: String,
    /// The last `ERROR:` line.
    error: String,
    /// The `ARCHIVES` checks that failed.
    archive_misses: Vec<String>,
}

/// Runs `row` (a manifest path) from its sample repository in a fresh build home.
fn run(dir: &Path, row: &str) -> Outcome {
    let home = tempfile::tempdir().unwrap();
    user_config(home.path());
    let repo = home.path().join("sample-repo");
    sample_repo(&repo, row, &dir.join(row));
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(repo.join("Jenkinsfile"))
        .args(["--job", "demo", "--branch", "main", "--clean-env"])
        // The plugin's tests submit every input step they meet.
        .args(["--input", "approve", "--home"])
        .arg(home.path())
        .current_dir(&repo)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home.path())
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Outcome {
                result: "TIMEOUT".into(),
                error: String::new(),
                archive_misses: Vec::new(),
            };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = reader.join().unwrap();
    let result = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("Finished: "))
        .unwrap_or("none")
        .to_string();
    let error = text
        .lines()
        .rev()
        .find(|l| l.starts_with("ERROR: "))
        .unwrap_or("")
        .chars()
        .take(160)
        .collect();
    let archive = home.path().join("jobs/demo/builds/1/archive");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let archive_misses = ARCHIVES
        .iter()
        .filter(|(r, _)| *r == row)
        .flat_map(|(_, files)| files.iter())
        .filter_map(|(name, want)| {
            let got = std::fs::read_to_string(archive.join(name)).ok();
            (got.as_deref().map(squash) != Some(squash(want)))
                .then(|| format!("archived {name}: {got:?}, expected {want:?}"))
        })
        .collect();
    Outcome {
        result,
        error,
        archive_misses,
    }
}

#[test]
fn conformance_pipelines_end_with_the_expected_result() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let rows = rows(&dir);
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let half = rows.len().div_ceil(2);
        let handles: Vec<_> = rows
            .chunks(half.max(1))
            .map(|chunk| s.spawn(|| chunk.iter().map(|(f, _)| run(&dir, f)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut matched = 0;
    let mut misses = Vec::new();
    let mut unexplained = Vec::new();
    let mut archive_misses = Vec::new();
    for ((file, expected), outcome) in rows.iter().zip(&outcomes) {
        let Outcome { result, error, .. } = outcome;
        for miss in &outcome.archive_misses {
            archive_misses.push(format!("{file}: {miss}"));
        }
        if expected.contains(result) {
            matched += 1;
        } else {
            let reason = EXCLUDED.iter().find(|(excluded, _)| excluded == file);
            // A run stopped by the time limit on a loaded machine is not a diagnosis.
            if reason.is_none() && result != "TIMEOUT" {
                unexplained.push(file.clone());
            }
            let why = reason.map_or_else(String::new, |(_, why)| format!(" [excluded: {why}]"));
            misses.push(format!(
                "  {file}: expected {}, got {result}  {error}{why}",
                expected.join("|")
            ));
        }
    }
    say(&format!(
        "{matched} of {} runnable conformance pipelines end with the expected result",
        rows.len()
    ));
    for miss in &misses {
        say(miss);
    }
    assert!(
        matched >= FLOOR,
        "{matched} of {} matched, below the floor of {FLOOR}",
        rows.len()
    );
    assert!(
        unexplained.is_empty(),
        "misses without a reason in EXCLUDED (fix them, or add the reason): {unexplained:?}"
    );
    assert!(
        archive_misses.is_empty(),
        "archived files differ from what the plugin's tests assert: {archive_misses:?}"
    );
}

/// Files the manifest marks invalid at compile time (a Groovy parse error or Jenkins'
/// declarative validator) must not run: no `[Pipeline]` line, `Finished: FAILURE` (§5.1).
/// The others (sandbox, runtime, test-only validators and tool configuration) are left out.
#[test]
fn pipelines_invalid_at_compile_time_do_not_run() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, verdict, phase) = (col("file"), col("verdict"), col("phase"));
    let files: Vec<String> = lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[verdict] == "invalid" && matches!(f[phase], "declarative" | "groovy-parse"))
        .map(|f| f[file].to_string())
        .collect();
    assert!(files.len() >= 120, "only {} invalid rows", files.len());
    let mut ran = Vec::new();
    for name in &files {
        let home = tempfile::tempdir().unwrap();
        let output = Command::new(BIN)
            .arg("run")
            .arg(dir.join(name))
            .args(["--job", "demo", "--clean-env", "--home"])
            .arg(home.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        if text.contains("[Pipeline]")
            || !text.ends_with("Finished: FAILURE\n")
            || output.status.code() != Some(1)
        {
            ran.push(name.clone());
        }
    }
    assert!(ran.is_empty(), "these invalid pipelines ran: {ran:?}");
}

/// Every excluded row is a row this test runs, listed once.
#[test]
fn excluded_rows_are_runnable_rows() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let rows = rows(&dir);
    for (i, (file, why)) in EXCLUDED.iter().enumerate() {
        assert!(
            rows.iter().any(|(row, _)| row == file),
            "EXCLUDED names {file}, which is not a runnable row"
        );
        assert!(!why.is_empty(), "EXCLUDED {file} gives no reason");
        assert!(
            !EXCLUDED[..i].iter().any(|(other, _)| other == file),
            "EXCLUDED lists {file} twice"
        );
    }
}
