//! Golden plans: every `fixtures/plan/<case>/Jenkinsfile` is planned by the real binary in a
//! temporary copy of its folder (`--job demo` plus `<case>/args`), as text, JSON and mermaid,
//! and each is snapshotted; the seed's two pipelines are planned in place. `PATH` holds only
//! stub tools and `DOCKER_HOST`/`AWS_ENDPOINT_URL` point where nothing listens, so `--check`
//! is deterministic. No output may contain a test secret.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Values from the fixtures' credential stores: never in any plan output.
const SECRETS: &[&str] = &[
    "plan-user-NEVER-SHOWN",
    "plan-pass-NEVER-SHOWN",
    "plan-token-NEVER-SHOWN",
    "plan-key-NEVER-SHOWN",
    "plan-nexus-NEVER-SHOWN",
    "plan-ssh-NEVER-SHOWN",
    "plan-kube-NEVER-SHOWN",
];

/// A directory of stub executables, the only thing on `PATH`.
fn stub_path(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["make", "npm", "git"] {
        let path = bin.join(tool);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Plans `jenkinsfile` (relative to `cwd`) in `format`: stdout, stderr and exit status.
pub(crate) fn plan(
    cwd: &Path,
    jenkinsfile: &str,
    format: &str,
    extra: &[String],
    path: &Path,
) -> String {
    let output = Command::new(BIN)
        .current_dir(cwd)
        .args(["plan", jenkinsfile, "--job", "demo", "--format", format])
        .args(extra)
        .env_clear()
        .env("PATH", path)
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join("no-config"))
        .env("LANG", "C.UTF-8")
        // `--check` asks the engine and AWS: nothing listens at either, so the answers are
        // the same on every machine and no call leaves it.
        .env(
            "DOCKER_HOST",
            format!("unix://{}", path.with_file_name("no-docker.sock").display()),
        )
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    writeln!(text, "--- exit {} ---", output.status.code().unwrap_or(-1)).unwrap();
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "a secret leaked into the plan:\n{text}"
        );
    }
    text
}

fn fixture_plan(path: &Path, format: &str) -> String {
    let case = path.parent().unwrap();
    let extra: Vec<String> = std::fs::read_to_string(case.join("args"))
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    copy_dir(case, &work);
    let bin = stub_path(tmp.path());
    let text = plan(&work, "Jenkinsfile", format, &extra, &bin);
    text.replace(&tmp.path().display().to_string(), "[TMP]")
}

#[test]
fn text_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        insta::assert_snapshot!(fixture_plan(path, "text"));
    });
}

#[test]
fn json_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        let text = fixture_plan(path, "json");
        let json = text.split("--- ").next().unwrap();
        let parsed: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(parsed["schema"], "jenkinsfile-plan/1");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn mermaid_plans() {
    insta::glob!("../fixtures/plan", "*/Jenkinsfile", |path| {
        let text = fixture_plan(path, "mermaid");
        assert!(text.starts_with("flowchart TD\n"), "{text}");
        insta::assert_snapshot!(text);
    });
}

/// The seed's CI and CD pipelines, read in place (so with the repository's default checkout).
#[test]
fn seed_plans() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let bin = stub_path(tmp.path());
    for seed in ["ci", "cd"] {
        let file = format!("fixtures/seed/{seed}/Jenkinsfile");
        let extra = ["--branch".to_string(), "main".to_string()];
        for format in ["text", "json", "mermaid"] {
            let text = plan(root, &file, format, &extra, &bin);
            insta::assert_snapshot!(format!("seed_{seed}_{format}"), text);
        }
    }
}

/// Plans `jenkinsfile` text in `tmp/work` (with `extra` arguments): the output as `plan` gives it.
fn plan_text(tmp: &Path, jenkinsfile: &str, extra: &[&str]) -> String {
    let work = tmp.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    let bin = stub_path(tmp);
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    plan(&work, "Jenkinsfile", "text", &extra, &bin)
}

#[test]
fn plan_reads_only_the_working_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "OUTSIDE-TREE-CONTENT\n").unwrap();
    std::fs::write(tmp.path().join("secret.json"), "{\"k\": \"OUTSIDE-JSON\"}").unwrap();
    let jenkinsfile = format!(
        "node {{\n\
         echo \"rel ${{readFile('../secret.txt')}}\"\n\
         echo \"abs ${{readFile('{}')}}\"\n\
         echo \"json ${{readJSON(file: '../secret.json')}}\"\n\
         echo \"exists ${{fileExists('../secret.txt')}}\"\n\
         echo \"sha ${{sha256('../secret.txt')}}\"\n\
         echo \"found ${{findFiles(glob: '../*.txt')}}\"\n\
         dir('..') {{ echo \"in dir ${{readFile('secret.txt')}}\" }}\n\
         }}\n",
        secret.display()
    );
    let text = plan_text(tmp.path(), &jenkinsfile, &[]);
    assert!(!text.contains("OUTSIDE-"), "{text}");
    assert!(!text.contains("exists true"), "{text}");
    assert!(!text.contains("secret.txt]"), "{text}");
    assert!(text.contains("contents of "), "{text}");
    assert!(text.contains("whether "), "{text}");
    assert!(text.contains("plan reads only the working tree"), "{text}");
    assert!(text.contains("files matching ../*.txt"), "{text}");
}

#[test]
fn password_parameters_are_masked_in_scripts() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "pipeline {\n  agent any\n  parameters {\n    password(name: 'PASS', defaultValue: 'default-pw-NEVER')\n  }\n  stages {\n    stage('s') {\n      steps {\n        sh \"deploy --password ${params.PASS}\"\n        echo \"pw ${params.PASS}\"\n      }\n    }\n  }\n}\n";
    let text = plan_text(tmp.path(), jenkinsfile, &["--param", "PASS=given-pw-NEVER"]);
    assert!(!text.contains("pw-NEVER"), "{text}");
    assert!(text.contains("deploy --password ****"), "{text}");
}

#[test]
fn a_failing_plan_fails_with_check_too() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_text(tmp.path(), "node {\n  error 'boom'\n}\n", &["--check"]);
    assert!(text.ends_with("--- exit 1 ---\n"), "{text}");
}

#[test]
fn sha256_and_find_files_see_planned_writes() {
    use sha2::{Digest, Sha256};
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  writeFile file: 'out/a.txt', text: 'planned text'\n  echo \"sha ${sha256('out/a.txt')}\"\n  echo \"found ${findFiles(glob: 'out/*.txt')}\"\n}\n";
    let text = plan_text(tmp.path(), jenkinsfile, &[]);
    let want = Sha256::digest(b"planned text")
        .iter()
        .fold(String::new(), |mut hex, b| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{b:02x}");
            hex
        });
    assert!(text.contains(&format!("sha {want}")), "{text}");
    assert!(text.contains("after the planned file changes"), "{text}");
}

/// Plans `jenkinsfile` in `tmp/work` as text with extra environment variables, killing the
/// planner if it has not ended after `deadline`: the output, or a panic naming the hang.
fn plan_within(
    tmp: &Path,
    jenkinsfile: &str,
    extra: &[&str],
    env: &[(&str, &str)],
    deadline: std::time::Duration,
) -> String {
    use std::process::Stdio;
    let work = tmp.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    let bin = stub_path(tmp);
    let mut child = Command::new(BIN)
        .current_dir(&work)
        .args(["plan", "Jenkinsfile", "--job", "demo", "--format", "text"])
        .args(extra)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", &work)
        .env("XDG_CONFIG_HOME", work.join("no-config"))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the planner did not end within {deadline:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}

fn fixture_text(case: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("fixtures/plan").join(case).join("Jenkinsfile")).unwrap()
}

const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

#[test]
fn plan_never_waits_and_ends_on_polling_loops() {
    let tmp = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let text = plan_within(tmp.path(), &fixture_text("never-waits"), &[], &[], DEADLINE);
    // Thread.sleep(600000) alone would take ten minutes.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(50),
        "{text}"
    );
    for want in [
        "sleep#",
        "time: 600",
        "waitUntil#",
        "timeout#",
        "retry#",
        "Thread.sleep(600000) would wait",
        "note: loop planned once: its condition depends on run time",
        "message: try 3",
        "Result: SUCCESS",
    ] {
        assert!(text.contains(want), "missing {want:?}:\n{text}");
    }
    assert!(!text.contains("try 4"), "{text}");
    // `retry(3)` plans its body once, not three times.
    assert_eq!(text.matches("make flaky").count(), 1, "{text}");
    // Two polling loops, each cut once with a note.
    assert_eq!(text.matches("loop planned once").count(), 2, "{text}");
}

#[test]
fn a_loop_on_a_run_time_value_is_planned_once_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  def s = sh(script: 'status', returnStdout: true)\n  while (s != 'ok') {\n    sh 'poll'\n  }\n  for (;;) {\n    sleep 1\n  }\n}\n";
    let text = plan_within(tmp.path(), jenkinsfile, &[], &[], DEADLINE);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("sh#")).count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches("loop planned once").count(), 2, "{text}");
}

#[test]
fn an_early_return_in_a_run_time_if_leaves_the_rest_planned_as_conditional() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("early-return"),
        &[],
        &[],
        DEADLINE,
    );
    // The step line before a script's `$ …` line carries the step's condition.
    let step_of = |script: &str| {
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim() == format!("$ {script}"))
            .unwrap_or_else(|| panic!("no {script:?}:\n{text}"));
        lines[at - 1].to_string()
    };
    assert!(
        step_of("deploy.sh staging").contains("== 0> is false]"),
        "the deploy after the early return is planned, as conditional:\n{text}"
    );
    assert!(
        step_of("publish.sh").contains("!= 0> is false]"),
        "the publish after the closure's early return is planned, as conditional:\n{text}"
    );
    assert!(!text.contains("deploy said deployed"), "{text}");
}

#[test]
fn a_when_expression_on_a_run_time_value_could_run() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("when-expression-runtime"),
        &[],
        &[],
        DEADLINE,
    );
    assert!(
        text.contains("Deploy if changed [could run: depends on <status of sh#1 != 0>]"),
        "{text}"
    );
    assert!(text.contains("$ make deploy"), "{text}");
    assert!(text.contains("$ make maybe"), "{text}");
    assert!(!text.contains("$ make never"), "{text}");
    assert!(
        text.contains("Known: skipped due to when conditional"),
        "{text}"
    );
    assert!(text.contains(": could run (depends on <"), "{text}");
}

#[test]
fn assignments_in_run_time_branches_do_not_leak_as_certain() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("branch-assignments"),
        &[],
        &[],
        DEADLINE,
    );
    assert!(!text.contains("--to staging"), "{text}");
    assert!(!text.contains("--to prod "), "{text}");
    assert!(text.contains("--to <target after if <"), "{text}");
    // Both sides set the same value: it is certain.
    assert!(text.contains("--same y"), "{text}");
    assert!(text.contains("only is <only after if <"), "{text}");
}

#[test]
fn post_predictions_follow_the_stage_and_what_could_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("post-predictions"),
        &["--branch", "main"],
        &[],
        DEADLINE,
    );
    let post_of = |stage: &str| {
        let at = text
            .find(stage)
            .unwrap_or_else(|| panic!("no {stage}:\n{text}"));
        text[at..]
            .lines()
            .find(|l| l.contains("Post: "))
            .unwrap()
            .to_string()
    };
    let build = post_of("── Build");
    assert!(build.contains("success (runs)"), "{build}");
    assert!(
        build.contains("failure (could run: if a planned step fails)"),
        "{build}"
    );
    assert!(
        build.contains("unstable (could run: if a planned step fails)"),
        "{build}"
    );
    let release = post_of("── Release");
    assert!(
        release.contains("always (does not run: the stage is skipped)"),
        "{release}"
    );
    let echo = post_of("── Echo only");
    assert!(echo.contains("failure (does not run)"), "{echo}");
    let top = text.lines().find(|l| l.starts_with("Post: ")).unwrap();
    assert!(
        top.contains("failure (could run: if a planned step fails)"),
        "{top}"
    );
    assert!(top.contains("unsuccessful (could run"), "{top}");
}

#[test]
fn the_pipeline_environment_is_not_a_stage_override() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("stage-env-override"),
        &[],
        &[],
        DEADLINE,
    );
    let first = text.lines().find(|l| l.contains("TARGET = ")).unwrap();
    assert_eq!(first, "  TARGET = dev-1", "{text}");
    assert!(text.contains("    TARGET = prod-1"), "{text}");
}

#[test]
fn stage_selection_is_shown_with_why_the_others_are_out() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("stage-selection"),
        &["--stage", "Build"],
        &[],
        DEADLINE,
    );
    assert!(text.contains("Selection: --stage \"Build\""), "{text}");
    assert!(text.contains("$ make build"), "{text}");
    assert!(!text.contains("$ make lint"), "{text}");
    assert!(!text.contains("$ make test"), "{text}");
    assert!(text.contains("Lint: skipped due to --stage"), "{text}");
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("stage-selection"),
        &["--from-stage", "Build"],
        &[],
        DEADLINE,
    );
    assert!(text.contains("Lint: skipped due to --from-stage"), "{text}");
    assert!(text.contains("$ make test"), "{text}");
    let tmp = tempfile::tempdir().unwrap();
    let text = plan_within(
        tmp.path(),
        &fixture_text("stage-selection"),
        &["--stage", "Nope"],
        &[],
        DEADLINE,
    );
    assert!(
        text.contains("Nope"),
        "an unknown stage is refused by name:\n{text}"
    );
}

#[test]
fn system_getenv_reads_through_the_host_env_filter() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  echo \"token ${System.getenv('DEPLOY_API_TOKEN')}\"\n  echo \"all ${System.getenv()}\"\n  echo \"plain ${System.getenv('PLAIN_SETTING')}\"\n}\n";
    let text = plan_within(
        tmp.path(),
        jenkinsfile,
        &[],
        &[
            ("DEPLOY_API_TOKEN", "host-token-NEVER-SHOWN"),
            ("PLAIN_SETTING", "plain-value"),
        ],
        DEADLINE,
    );
    assert!(!text.contains("NEVER-SHOWN"), "{text}");
    assert!(text.contains("token null"), "{text}");
    assert!(text.contains("plain plain-value"), "{text}");
}

#[test]
fn user_text_cannot_spoof_the_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "pipeline {\n  agent any\n  stages {\n    stage('A\" skipped due to spoofed reason') {\n      when { branch 'nope' }\n      steps { sh 'a' }\n    }\n    stage('B') {\n      steps {\n        echo 'Post stage'\n        echo 'Stage \"B\" skipped due to spoofing'\n        sh 'b'\n      }\n    }\n  }\n}\n";
    let text = plan_within(
        tmp.path(),
        jenkinsfile,
        &["--branch", "main"],
        &[],
        DEADLINE,
    );
    assert!(text.contains("skipped due to when conditional"), "{text}");
    assert!(
        !text.contains("spoofed reason\" skipped due to when"),
        "{text}"
    );
    assert!(!text.contains("post:"), "{text}");
    assert!(!text.contains("B: skipped"), "{text}");
}

#[test]
fn escape_sequences_from_the_file_are_shown_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "pipeline {\n  agent any\n  stages {\n    stage('red \\u001b[31m stage') {\n      steps {\n        echo \"clear \\u001b[2J screen\"\n        sh \"printf '\\u001b]0;title\\u0007'\"\n      }\n    }\n  }\n}\n";
    let text = plan_within(tmp.path(), jenkinsfile, &[], &[], DEADLINE);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.contains('\u{7}'), "{text:?}");
    assert!(text.contains("red \\u{1b}[31m stage"), "{text}");
    assert!(text.contains("clear \\u{1b}[2J screen"), "{text}");
}
