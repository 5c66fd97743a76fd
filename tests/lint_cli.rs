//! `jenkinsfile lint` as a user runs it: exit codes, several files, unreadable input,
//! output formats on stdout, configuration files and their precedence.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

const CLEAN: &str = "node {\n    sh 'make'\n}\n";
const WARNS: &str = "node {\n    sh 'source env.sh'\n}\n";
const BROKEN: &str = "node {\n    sh 'make'\n";

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Runs `jenkinsfile lint ARGS` in `dir`, with a user configuration directory of its own.
fn lint(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("lint")
        .args(args)
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("user-config"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_clean_file_exits_zero_silently() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", CLEAN);
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "");
}

#[test]
fn warnings_exit_zero_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", WARNS);
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("sh-bashism"), "{}", stderr(&out));
    let out = lint(&dir, &["--deny-warnings", "Jenkinsfile"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn a_syntax_error_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", BROKEN);
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("syntax-error"), "{}", stderr(&out));
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.Jenkinsfile", WARNS);
    write(dir.path(), "b.Jenkinsfile", b"node { echo '\xff' }\n");
    write(dir.path(), "c.Jenkinsfile", BROKEN);
    let out = lint(
        &dir,
        &[
            "a.Jenkinsfile",
            "b.Jenkinsfile",
            "missing.Jenkinsfile",
            "c.Jenkinsfile",
        ],
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("`b.Jenkinsfile` is not UTF-8"), "{err}");
    assert!(
        err.contains("`missing.Jenkinsfile` does not exist"),
        "{err}"
    );
    assert!(err.contains("a.Jenkinsfile:2:"), "{err}");
    assert!(err.contains("c.Jenkinsfile:"), "{err}");
}

#[test]
fn directories_are_searched_and_machine_formats_go_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ci/Jenkinsfile", WARNS);
    write(dir.path(), "ci/deploy.Jenkinsfile", CLEAN);
    write(dir.path(), "vars/lib.groovy", WARNS);
    let out = lint(&dir, &["--format", "json", "ci"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(doc["diagnostics"][0]["file"], "ci/Jenkinsfile");

    let out = lint(&dir, &["--format", "github", "ci"]);
    assert!(
        stdout(&out).starts_with("::warning file=ci/Jenkinsfile,line=2,col=9,"),
        "{}",
        stdout(&out)
    );
    let out = lint(&dir, &["--format", "sarif", "ci"]);
    assert!(stdout(&out).contains("\"version\": \"2.1.0\""));
}

#[test]
fn no_path_lints_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", BROKEN);
    let out = lint(&dir, &[]);
    assert_eq!(code(&out), 1);
}

#[test]
fn stdin_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .args(["lint", "--format", "github", "-"])
        .current_dir(dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("user-config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), WARNS.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(stdout(&out).starts_with("::warning file=<stdin>,line=2"));
}

#[test]
fn bad_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", CLEAN);
    let out = lint(&dir, &["--format", "nope", "Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    let out = lint(&dir, &["--rule", "sh-bashism=loud", "Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown level `loud`"),
        "{}",
        stderr(&out)
    );
    let out = lint(&dir, &["--disable", "no-such-rule", "Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown rule `no-such-rule`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rule_levels_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", WARNS);
    let out = lint(&dir, &["--rule", "sh-bashism=error", "Jenkinsfile"]);
    assert_eq!(code(&out), 1);
    let out = lint(
        &dir,
        &["--disable", "sh-bashism", "--deny-warnings", "Jenkinsfile"],
    );
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "");
}

/// Command line over repository file over user file over defaults.
#[test]
fn configuration_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "repo/.git/HEAD", "ref: refs/heads/main\n");
    write(root, "repo/ci/app/Jenkinsfile", WARNS);
    // The user file makes bashisms errors …
    write(
        root,
        "user-config/jenkinsfile/config.toml",
        "[rules]\nsh-bashism = \"error\"\n",
    );
    let out = lint(&dir, &["repo/ci/app/Jenkinsfile"]);
    assert_eq!(code(&out), 1, "user file: {}", stderr(&out));
    // … the repository file (found two levels up) turns them back into notes …
    write(
        root,
        "repo/.jenkinsfile/config.toml",
        "[rules]\nsh-bashism = \"info\"\n",
    );
    let out = lint(&dir, &["--deny-warnings", "repo/ci/app/Jenkinsfile"]);
    assert_eq!(code(&out), 0, "repository file: {}", stderr(&out));
    assert!(stderr(&out).contains("sh-bashism"));
    // … and the command line wins over both.
    let out = lint(
        &dir,
        &["--rule", "sh-bashism=error", "repo/ci/app/Jenkinsfile"],
    );
    assert_eq!(code(&out), 1);
    // `--config` replaces the repository file; the user file still applies.
    write(root, "other.toml", "[rules]\nunpinned-image = \"off\"\n");
    let out = lint(&dir, &["--config", "other.toml", "repo/ci/app/Jenkinsfile"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn a_repository_file_above_the_repository_root_does_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".jenkinsfile/config.toml",
        "[rules]\nsh-bashism = \"error\"\n",
    );
    write(root, "repo/.git/HEAD", "ref: refs/heads/main\n");
    write(root, "repo/Jenkinsfile", WARNS);
    let out = lint(&dir, &["repo/Jenkinsfile"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn unknown_keys_name_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Jenkinsfile", CLEAN);
    write(
        dir.path(),
        ".jenkinsfile/config.toml",
        "allowed-steps = []\nalowed-steps = [\"x\"]\n",
    );
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains(".jenkinsfile/config.toml"), "{err}");
    assert!(err.contains("line 2, column 1"), "{err}");
    assert!(err.contains("unknown field `alowed-steps`"), "{err}");
    write(
        dir.path(),
        ".jenkinsfile/config.toml",
        "[rules]\nsh-bashsim = \"off\"\n",
    );
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown rule `sh-bashsim` in `[rules]` of"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn format_jenkins_prints_what_jenkins_prints() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Jenkinsfile",
        "pipeline {\n    agent any\n    stages {\n        stage('a') { steps { sh 'source x' } }\n    }\n}\n",
    );
    let out = lint(&dir, &["--format", "jenkins", "Jenkinsfile"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Lint warnings are not Jenkins' business.
    assert_eq!(stdout(&out), "Jenkinsfile successfully validated.\n");
    write(dir.path(), "Jenkinsfile", "pipeline {\n    agent any\n}\n");
    let out = lint(&dir, &["--format", "jenkins", "Jenkinsfile"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).starts_with("Errors encountered validating Jenkinsfile:\nWorkflowScript: 1: Missing required section \"stages\" @ line 1, column 1."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_library_given_on_the_command_line_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "lib/vars/deployApp.groovy",
        "def call(Map args) {}\n",
    );
    write(
        dir.path(),
        "Jenkinsfile",
        "@Library('shared') _\nnode {\n    deployApp env: 'prod'\n}\n",
    );
    let out = lint(&dir, &["--deny-warnings", "Jenkinsfile"]);
    assert_eq!(code(&out), 0, "a note does not fail: {}", stderr(&out));
    assert!(stderr(&out).contains("may come from library `shared`"));
    let out = lint(&dir, &["--library", "shared=lib", "Jenkinsfile"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "");
    let out = lint(&dir, &["--library", "shared=nowhere", "Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot read shared library `shared`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn libraries_and_allowed_steps_from_the_repository_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "libs/shared/vars/deployApp.groovy",
        "def call() {}\n",
    );
    write(
        dir.path(),
        ".jenkinsfile/config.toml",
        "allowed-steps = [\"customStep\"]\n\n[libraries]\nshared = \"libs/shared\"\n",
    );
    write(
        dir.path(),
        "ci/Jenkinsfile",
        "@Library('shared') _\nnode {\n    deployApp()\n    customStep()\n}\n",
    );
    write(dir.path(), ".git/HEAD", "ref: refs/heads/main\n");
    let out = lint(&dir, &["--deny-warnings", "ci/Jenkinsfile"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn human_output_ends_with_a_count_and_jenkins_output_has_headers() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.Jenkinsfile", WARNS);
    write(dir.path(), "b.Jenkinsfile", BROKEN);
    let out = lint(&dir, &["a.Jenkinsfile", "b.Jenkinsfile"]);
    assert!(
        stderr(&out).ends_with("1 error, 1 warning in 2 files\n"),
        "{}",
        stderr(&out)
    );
    let out = lint(
        &dir,
        &["--format", "jenkins", "a.Jenkinsfile", "b.Jenkinsfile"],
    );
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("==> a.Jenkinsfile <==\nJenkinsfile content '"),
        "{text}"
    );
    assert!(
        text.contains("\n==> b.Jenkinsfile <==\nErrors encountered validating Jenkinsfile:\n"),
        "{text}"
    );
}

#[test]
fn a_plugin_catalogue_extends_the_declarative_types() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Jenkinsfile",
        "pipeline {\n    agent any\n    options { companyTimestamps() }\n    stages { stage('a') { steps { sh 'make' } } }\n}\n",
    );
    let out = lint(&dir, &["Jenkinsfile"]);
    assert_eq!(code(&out), 1, "an unknown option is Jenkins' error");
    assert!(
        stderr(&out).contains("companyTimestamps"),
        "{}",
        stderr(&out)
    );
    write(
        dir.path(),
        "plugins.toml",
        "[option.companyTimestamps]\nplugin = \"company\"\nkind = \"wrapper\"\n",
    );
    let out = lint(&dir, &["--plugin-catalogue", "plugins.toml", "Jenkinsfile"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = lint(&dir, &["--plugin-catalogue", "missing.toml", "Jenkinsfile"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

#[test]
fn machine_formats_list_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.Jenkinsfile", WARNS);
    let out = lint(
        &dir,
        &["--format", "json", "missing.Jenkinsfile", "a.Jenkinsfile"],
    );
    assert_eq!(code(&out), 2);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unreadable: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unreadable-file")
        .collect();
    assert_eq!(unreadable.len(), 1, "{json}");
    assert_eq!(unreadable[0]["file"], "missing.Jenkinsfile");
    assert_eq!(unreadable[0]["severity"], "error");
    let out = lint(&dir, &["--format", "github", "missing.Jenkinsfile"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("::error file=missing.Jenkinsfile"), "{text}");
}
