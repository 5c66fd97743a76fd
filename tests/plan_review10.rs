//! The tenth review of `plan` (issue 9): stage marking, output formats and the `--check`
//! tool scan. A scripted stage inside an `if` on a run-time value could be skipped, a file
//! that does not parse still gets a JSON document, the tool scan reads the command after a
//! wrapper (`nohup`, `timeout 10`, …), inside `{ …; }` and never reports the script's own
//! functions, and a few renderings are fixed. Expected lines are written by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::support::{git, tree};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// What one `jenkinsfile plan` printed.
struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

/// `jenkinsfile plan <file> --job demo <extra>` in `dir`, with `HOME` under `tmp` and `PATH`
/// `path` (the host's when `None`). The work folder and `HOME` stay byte-identical.
fn plan(tmp: &Path, dir: &Path, file: &str, extra: &[&str], path: Option<&Path>) -> Out {
    let home = tmp.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let before = (tree(dir), tree(&home));
    let path = path.map_or_else(
        || std::env::var("PATH").unwrap_or_default(),
        |p| p.display().to_string(),
    );
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(["plan", file, "--job", "demo"])
        .args(extra)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        (tree(dir), tree(&home)),
        before,
        "planning changed the work folder or HOME"
    );
    Out {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
    }
}

fn json(out: &Out) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr))
}

/// A committed repository at `tmp/repo` with `files`.
fn repository(tmp: &Path, files: &[(&str, &str)]) -> PathBuf {
    let repo = tmp.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    for (name, text) in files {
        let path = repo.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "change"]);
    repo
}

fn has(out: &str, line: &str) {
    assert!(out.contains(line), "missing {line:?} in:\n{out}");
}

fn lacks(out: &str, text: &str) {
    assert!(!out.contains(text), "unexpected {text:?} in:\n{out}");
}

/// The top-level stage `name` of a JSON plan.
fn stage<'a>(plan: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    plan["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {plan:#}"))
}

const SCRIPTED_IF: &str = "node {
  stage('always') { echo 'hi' }
  if (sh(returnStdout: true, script: 'git log -1').contains('x')) {
    stage('maybe') { echo 'conditional' }
  }
  if (env.BRANCH_NAME == 'main') {
    stage('onmain') { echo 'yes' }
  }
}
";

#[test]
fn a_scripted_stage_inside_an_if_on_a_run_time_value_could_be_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path(), &[("Jenkinsfile", SCRIPTED_IF)]);
    let text = plan(tmp.path(), &repo, "Jenkinsfile", &[], None);
    has(
        &text.stdout,
        "├── maybe [could run: if <stdout of sh#2.contains('x')> is true]\n",
    );
    // Decided by the plan's own inputs: not conditional.
    has(&text.stdout, "└── onmain\n");
    has(&text.stdout, "├── always\n");
    let doc = json(&plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--format", "json"],
        None,
    ));
    assert_eq!(
        stage(&doc, "maybe")["conditional"],
        "if <stdout of sh#2.contains('x')> is true"
    );
    assert_eq!(stage(&doc, "maybe")["status"], "planned");
    assert!(
        stage(&doc, "onmain").get("conditional").is_none(),
        "{doc:#}"
    );
    assert!(
        stage(&doc, "always").get("conditional").is_none(),
        "{doc:#}"
    );
    let mermaid = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--format", "mermaid"],
        None,
    );
    has(&mermaid.stdout, "  s2[\"maybe<br/><i>could run</i>\"]\n");
    has(&mermaid.stdout, "  class s2 conditional\n");
    has(&mermaid.stdout, "  classDef conditional ");
    lacks(&mermaid.stdout, "class s1");
}

#[test]
fn a_file_that_does_not_parse_still_gets_a_json_document() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            (
                "Jenkinsfile",
                "pipeline {\n  agent any\n  stages {\n    stage('a' {\n  }\n}\n",
            ),
            (
                "Invalid",
                "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { echo 'x' } }\n  }\n  bogus {}\n}\n",
            ),
        ],
    );
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--format", "json"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc = json(&out);
    assert_eq!(doc["schema"], "jenkinsfile-plan/1");
    assert_eq!(doc["file"], "Jenkinsfile");
    assert_eq!(doc["error"], "the Jenkinsfile does not parse");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "syntax-error");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        "expected `)` to close the `(` opened at line 4"
    );
    assert_eq!(d["range"]["start"]["line"], 4);
    assert_eq!(d["range"]["start"]["column"], 10);
    has(&out.stderr, "syntax-error");

    let out = plan(tmp.path(), &repo, "Invalid", &["--format", "json"], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc = json(&out);
    assert_eq!(doc["error"], "the Jenkinsfile does not validate");
    assert_eq!(doc["diagnostics"][0]["code"], "undefined-section");
    assert_eq!(doc["diagnostics"][0]["range"]["start"]["line"], 6);

    // Mermaid draws nothing, and says why on stderr.
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--format", "mermaid"],
        None,
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    has(&out.stderr, "syntax-error");
    has(
        &out.stderr,
        "error: no diagram: the Jenkinsfile does not parse\n",
    );
    // Text is unchanged: the diagnostics on stderr only.
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &[], None);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    has(&out.stderr, "syntax-error");
}

/// A directory holding a stub executable for each of `tools`.
fn stubs(tmp: &Path, tools: &[&str]) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = tmp.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in tools {
        let path = bin.join(tool);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// The `tool` items of a `--check` JSON plan: name → status.
fn tools(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["check"]
        .as_array()
        .unwrap_or_else(|| panic!("no check in {doc:#}"))
        .iter()
        .filter(|i| i["category"] == "tool")
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_tool_scan_reads_wrappers_groups_and_the_scripts_own_functions() {
    let tmp = tempfile::tempdir().unwrap();
    let script = "    build() { make all; }
    function deploy {
      helm upgrade app
    }
    build
    deploy
    { gzip -k out.txt; } 2>&1
    nohup java -jar app.jar &
    timeout 10 curl -s http://localhost:1/
    ls | xargs -n1 shasum
    sudo -u deploy kubectl get pods
    command -v docker || true
";
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            &format!("node {{\n  sh '''\n{script}  '''\n}}\n"),
        )],
    );
    let bin = stubs(
        tmp.path(),
        &[
            "make", "helm", "gzip", "nohup", "java", "timeout", "xargs", "ls", "sudo",
        ],
    );
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--check", "--format", "json"],
        Some(&bin),
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let found = tools(&json(&out));
    let expected: Vec<(String, String)> = [
        ("make", "ok"),
        ("helm", "ok"),
        ("gzip", "ok"),
        ("nohup", "ok"),
        ("java", "ok"),
        ("timeout", "ok"),
        ("curl", "missing"),
        ("ls", "ok"),
        ("xargs", "ok"),
        ("shasum", "missing"),
        ("sudo", "ok"),
        ("kubectl", "missing"),
    ]
    .iter()
    .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
    .collect();
    assert_eq!(found, expected);
}

const NITS: &str = r#"pipeline {
  agent any
  parameters { password(name: 'PW', defaultValue: 'secret', description: '') }
  environment { A = "${params.PW}"; B = "x${params.PW}" }
  stages {
    stage('Skip') {
      when { branch 'nope' }
      environment { FOO = "x-${env.BUILD_NUMBER}" }
      steps { echo 'never' }
    }
    stage('Parent') {
      stages {
        stage('Child') { steps { echo 'c' } }
        stage('Other') { steps { echo 'o' } }
      }
    }
    stage('Solo') {
      stages {
        stage('Inner') { steps { echo 'i' } }
      }
    }
    stage('Echo') {
      steps {
        echo "a\"b"
        echo "hello\nworld \\ \"q\""
        writeFile file: 'x.txt', text: 'hi'
        script {
          def t = readFile 'x.txt'
          echo t
          withDockerContainer('') { sh 'ls' }
          myLib.foo()
        }
      }
    }
  }
}
"#;

#[test]
fn renderings_of_env_reasons_escapes_empty_labels_masks_reads_and_library_globals() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[
            ("Jenkinsfile", NITS),
            (".jenkinsfile/config.toml", "[libraries]\nmylib = \"lib\"\n"),
            ("lib/vars/myLib.groovy", "def foo() { echo 'foo' }\n"),
        ],
    );
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &[], None).stdout;
    // (a) a skipped stage's environment is not evaluated, in a run either.
    has(
        &out,
        "├── Skip: skipped due to when conditional\n│   when branch 'nope': false (BRANCH_NAME is 'main', not 'nope')\n│   Environment:\n│     FOO = (not evaluated: stage skipped)\n",
    );
    // (e) a password parameter inside text is `<****>`, never wrapped twice.
    has(&out, "Environment:\n  A = <****>\n  B = x<****>\n");
    lacks(&out, "<<");
    // (c) a line break is written out once; nothing else is escaped again.
    has(&out, "echo#5 message: a\"b (ran: no effect)\n");
    has(
        &out,
        "echo#6 message: hello\\nworld \\ \"q\" (ran: no effect)\n",
    );
    // (f) a read says so.
    has(&out, "readFile#8 file: x.txt (ran: read only)\n");
    has(&out, "echo#9 message: hi (ran: no effect)\n");
    // (d) an empty argument is shown.
    has(&out, "withDockerContainer#10 image: \"\" { … }\n");
    // (g) a configured library's global is a step, not an undefined name.
    has(
        &out,
        "myLib.foo#12 (a shared library's global: not evaluated)",
    );
    lacks(&out, "Not defined in the Jenkinsfile");

    let doc = json(&plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--format", "json"],
        None,
    ));
    assert_eq!(
        stage(&doc, "Skip")["environment"][0]["value"],
        "(not evaluated: stage skipped)"
    );
    assert_eq!(doc["environment"][0]["value"], "<****>");
    assert_eq!(doc["environment"][1]["value"], "x<****>");
    assert!(doc.get("assumed").is_none(), "{doc:#}");

    // (b) a child of a stage --stage leaves out has the reason of its parent's skip.
    let selected = ["--stage", "Parent/Child"];
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &selected, None).stdout;
    has(
        &out,
        "├── Solo: skipped due to --stage \"Parent/Child\"\n│   └── Inner: skipped due to --stage \"Parent/Child\"\n",
    );
    has(
        &out,
        "│   └── Other: skipped due to --stage \"Parent/Child\"\n",
    );
    let mut args = selected.to_vec();
    args.extend(["--format", "json"]);
    let doc = json(&plan(tmp.path(), &repo, "Jenkinsfile", &args, None));
    let solo = stage(&doc, "Solo");
    assert_eq!(solo["reason"], "--stage \"Parent/Child\"");
    assert_eq!(solo["stages"][0]["name"], "Inner");
    assert_eq!(solo["stages"][0]["status"], "skipped");
    assert_eq!(solo["stages"][0]["reason"], "--stage \"Parent/Child\"");
    let parent = stage(&doc, "Parent");
    assert_eq!(parent["reason"], serde_json::Value::Null);
    assert_eq!(parent["stages"][0]["reason"], serde_json::Value::Null);
    assert_eq!(parent["stages"][1]["reason"], "--stage \"Parent/Child\"");
}

/// `--check` looks a tool up on the PATH its `sh` runs with: a directory the pipeline puts
/// in front (`environment { PATH = … }`, `withEnv(['PATH+X=…'])`) counts there, and only
/// there.
#[test]
fn the_tool_check_uses_the_path_the_pipeline_sets() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let extra = tmp.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    for tool in ["mytool", "othertool", "decltool"] {
        let path = extra.join(tool);
        std::fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let extra = extra.display().to_string();
    let scripted =
        format!("node {{\n  withEnv(['PATH+X={extra}']) {{ sh 'mytool' }}\n  sh 'othertool'\n}}\n");
    let declarative = format!(
        "pipeline {{\n  agent any\n  environment {{ PATH = \"{extra}:${{env.PATH}}\" }}\n  stages {{\n    stage('a') {{ steps {{ sh 'decltool' }} }}\n  }}\n}}\n"
    );
    let repo = repository(
        tmp.path(),
        &[("Jenkinsfile", &scripted), ("Declarative", &declarative)],
    );
    let bin = stubs(tmp.path(), &["make"]);
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--check", "--format", "json"],
        Some(&bin),
    );
    let found = tools(&json(&out));
    assert!(found.contains(&("mytool".into(), "ok".into())), "{found:?}");
    assert!(
        found.contains(&("othertool".into(), "missing".into())),
        "{found:?}"
    );
    assert_eq!(out.code, 1);
    let out = plan(
        tmp.path(),
        &repo,
        "Declarative",
        &["--check", "--format", "json"],
        Some(&bin),
    );
    assert_eq!(
        tools(&json(&out)),
        [("decltool".to_string(), "ok".to_string())]
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// `--clean-env` and `--pass-env` filter the variables the plan's build sees as `run`'s do.
#[test]
fn clean_env_and_pass_env_filter_the_environment_as_run_does() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "node {\n  echo \"CONFIG=${env.XDG_CONFIG_HOME != null}\"\n  echo \"GIT=${env.GIT_CONFIG_GLOBAL != null}\"\n}\n",
        )],
    );
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &[], None);
    assert!(out.stdout.contains("CONFIG=true"), "{}", out.stdout);
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &["--clean-env"], None);
    assert!(out.stdout.contains("CONFIG=false"), "{}", out.stdout);
    assert!(out.stdout.contains("GIT=false"), "{}", out.stdout);
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--clean-env", "--pass-env", "GIT_CONFIG_GLOBAL"],
        None,
    );
    assert!(out.stdout.contains("CONFIG=false"), "{}", out.stdout);
    assert!(out.stdout.contains("GIT=true"), "{}", out.stdout);
}

/// Steps outside any stage keep their place among the stages in the text tree, and a string
/// argument in a run-time value is shown as Groovy's `inspect` writes it (`'\n'`), so one
/// script stays one line.
#[test]
fn steps_between_stages_keep_their_place_and_escapes_stay_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(
        tmp.path(),
        &[(
            "Jenkinsfile",
            "echo 'start'\nnode {\n  stage('A') { sh 'make a' }\n  def out = sh(returnStdout: true, script: 'ls')\n  stage('B') { sh \"make -C ${out.split('\\n')[0]}\" }\n  sh 'test -f x'\n}\n",
        )],
    );
    let out = plan(tmp.path(), &repo, "Jenkinsfile", &[], None);
    let expected = "\
Plan for Jenkinsfile (scripted; branch main)
echo#1 message: start (ran: no effect)
Stages:
├── A
│   sh#2
│       $ make a
├── (outside any stage)
│   sh#3 returnStdout: true → <stdout of sh#3>
│       $ ls
├── B
│   sh#4
│       $ make -C <stdout of sh#3.split('\\n')[0]>
└── (outside any stage)
    sh#5
        $ test -f x
Result: SUCCESS
";
    assert_eq!(out.stdout, expected, "{}", out.stderr);
}

/// `--env PATH=…` is the build's PATH for `--check` too; a credentials file that does not
/// load stops the plan as it stops `run` (exit 2).
#[test]
fn check_uses_the_env_path_and_a_broken_credentials_file_stops_the_plan() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let extra = tmp.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    let tool = extra.join("mytool");
    std::fs::write(&tool, "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    let repo = repository(
        tmp.path(),
        &[
            ("Jenkinsfile", "node {\n  sh 'mytool'\n}\n"),
            ("bad.toml", "[credentials.x]\nvalue = 'v'\n"),
        ],
    );
    let bin = stubs(tmp.path(), &["make"]);
    let path = format!("PATH={}", extra.display());
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--check", "--format", "json", "--env", &path],
        Some(&bin),
    );
    assert_eq!(
        tools(&json(&out)),
        [("mytool".to_string(), "ok".to_string())]
    );
    let out = plan(
        tmp.path(),
        &repo,
        "Jenkinsfile",
        &["--credentials", "bad.toml"],
        Some(&bin),
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}
