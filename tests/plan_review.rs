//! The review of `plan` (issue 9): a plan never waits and ends on polling loops, a `return`
//! in a run-time `if` leaves the rest planned, branch assignments do not leak as certain, a
//! `when expression` on a run-time value could run, post predictions follow the stage, each
//! level shows its own environment, stages can be selected, `System.getenv` is filtered, and
//! the user's text neither spoofs the tree nor reaches the terminal raw.

use std::path::Path;
use std::process::Command;

use super::plan::stub_path;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

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
    // The first polling loop is cut once with a note. The second ends by its own `break`:
    // `done.flag` is absent but a planned step may write it, so `fileExists` is a run-time
    // value and the `break` on its true side ends the planned loop after one iteration.
    assert_eq!(text.matches("loop planned once").count(), 1, "{text}");
    assert_eq!(text.matches("sleep#").count(), 4, "{text}");
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
    // The summary says what the planned unstable steps are marked with.
    assert!(
        build.contains("unstable (could run: if a planned step marks the build unstable)"),
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

#[test]
fn check_skips_here_document_bodies_in_the_tool_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = "node {\n  sh '''cat <<EOF > plan.txt\nterraform apply\nhelm install x\nEOF\nmake all\n'''\n}\n";
    let text = plan_within(tmp.path(), jenkinsfile, &["--check"], &[], DEADLINE);
    assert!(text.contains("tool make"), "{text}");
    assert!(!text.contains("tool terraform"), "{text}");
    assert!(!text.contains("tool helm"), "{text}");
}
