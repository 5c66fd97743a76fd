//! The second review of `plan` (issue 9): files a planned `sh` may rewrite, directories
//! outside the workspace, closures passed to unknown steps, `lock` never taken, a result set
//! from a run-time value and the post blocks that follow it, `when` reasons with their
//! values, and a scripted `parallel` outside any stage. Expected lines are written from the
//! issue's text, not copied from output.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::plan::stub_path;

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

/// Every file under `dir` with its bytes, for a before/after comparison.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.push((path.clone(), Vec::new()));
                todo.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Plans `jenkinsfile` in `tmp/work` (with `files` beside it) in `format`; the work folder
/// and `HOME` must be byte-identical afterwards. Returns stdout followed by stderr.
fn plan(
    tmp: &Path,
    jenkinsfile: &str,
    files: &[(&str, &str)],
    format: &str,
    extra: &[&str],
) -> String {
    plan_with(tmp, jenkinsfile, files, format, extra, &[])
}

/// [`plan`] with more environment variables.
fn plan_with(
    tmp: &Path,
    jenkinsfile: &str,
    files: &[(&str, &str)],
    format: &str,
    extra: &[&str],
    envs: &[(&str, String)],
) -> String {
    let work = tmp.join("work");
    let home = tmp.join("home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(work.join("Jenkinsfile"), jenkinsfile).unwrap();
    for (name, text) in files {
        std::fs::write(work.join(name), text).unwrap();
    }
    let bin = stub_path(tmp);
    let before = (snapshot(&work), snapshot(&home));
    let output = Command::new(BIN)
        .current_dir(&work)
        .args(["plan", "Jenkinsfile", "--job", "demo", "--format", format])
        .args(extra)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert_eq!(
        (snapshot(&work), snapshot(&home)),
        before,
        "planning changed the work folder or HOME"
    );
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}

fn has(out: &str, line: &str) {
    assert!(out.contains(line), "missing {line:?} in:\n{out}");
}

/// `a` comes before `b` in `out`.
fn before(out: &str, a: &str, b: &str) {
    let (Some(i), Some(j)) = (out.find(a), out.find(b)) else {
        panic!("missing {a:?} or {b:?} in:\n{out}");
    };
    assert!(i < j, "{a:?} should come before {b:?} in:\n{out}");
}

#[test]
fn files_a_planned_sh_may_rewrite_are_not_certain() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"node {
  def early = readFile('VERSION').trim()
  echo early
  sh 'npm ci'
  def pkg = readJSON file: 'package.json'
  echo pkg.version
  echo readFile('NEW')
  writeFile file: 'W', text: 'hi'
  echo readFile('W')
}
";
    let files = [
        ("VERSION", "1.2.3\n"),
        ("package.json", r#"{"version": "4.5.6"}"#),
    ];
    let out = plan(tmp.path(), jenkinsfile, &files, "text", &["--in-place"]);
    // Read before any sh: certain, no note.
    has(&out, "readFile#1 file: VERSION (ran: read only)\n");
    has(&out, "echo#2 message: 1.2.3 (ran: no effect)");
    // After `sh 'npm ci'` (sh#3): still read, and marked as possibly changed by sh#3.
    has(&out, "readJSON#4 file: package.json (ran: read only)\n");
    has(
        &out,
        "    note: read from the working tree; sh#3 runs before it and may change package.json\n",
    );
    has(&out, "echo#5 message: 4.5.6 (ran: no effect)");
    // A file the tree does not have: a run-time value, not a failure.
    has(&out, "readFile#6 file: NEW (ran: read only)\n");
    has(
        &out,
        "echo#7 message: <contents of NEW (a planned step may write it)>",
    );
    // A planned writeFile stays exact through the overlay, with no note.
    has(&out, "readFile#9 file: W (ran: read only)\n");
    has(&out, "echo#10 message: hi (ran: no effect)");
    assert_eq!(
        out.matches("note: read from the working tree").count(),
        1,
        "{out}"
    );
    has(&out, "Result: SUCCESS\n");
    let json = plan(tmp.path(), jenkinsfile, &files, "json", &["--in-place"]);
    has(
        &json,
        r#""note": "read from the working tree; sh#3 runs before it and may change package.json""#,
    );
}

#[test]
fn every_directory_a_step_runs_in_is_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r#"node {
  dir('/opt/abs') { sh 'ls abs' }
  dir("${env.WORKSPACE}/x") { sh 'ls x' }
  def out = sh(returnStdout: true, script: 'pwd')
  dir(out) { sh 'ls out' }
  dir('sub') { dir('/srv') { sh 'ls srv' } }
}
"#;
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    has(&out, "sh#1 in /opt/abs/ (outside the workspace)\n");
    has(&out, "sh#2 in x/\n");
    has(&out, "sh#4 in <stdout of sh#3>/\n");
    has(&out, "sh#5 in /srv/ (outside the workspace)\n");
    has(&out, "Result: SUCCESS\n");
    let json = plan(tmp.path(), jenkinsfile, &[], "json", &[]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let step = |id: u64| steps.iter().find(|s| s["id"] == id).unwrap();
    assert_eq!(step(1)["dir"], "/opt/abs");
    assert_eq!(step(1)["outside_workspace"], true);
    assert_eq!(step(2)["dir"], "x");
    assert!(step(2).get("outside_workspace").is_none(), "{json}");
}

#[test]
fn unknown_steps_taking_closures_are_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"node {
  notifyOnFailure(channel: '#ci', render: { msg -> msg.toUpperCase() })
  myPluginStep(foo: 'bar', onError: { echo 'x' }) {
    sh 'inside plugin'
  }
  echo 'after'
}
";
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    has(&out, "notifyOnFailure#1 channel: #ci, render: { … }");
    has(&out, "myPluginStep#2 foo: bar, onError: { … } { … }");
    // The trailing body is planned under the step.
    has(&out, "  sh#3\n");
    has(&out, "      $ inside plugin\n");
    has(&out, "echo#4 message: after");
    // A local run has neither step: the plan goes on, and says the run would stop there.
    has(
        &out,
        "Result: SUCCESS [could be FAILURE (`notifyOnFailure` is not a step a local run has: `run` fails there with No such DSL method), or FAILURE (`myPluginStep` is not a step a local run has",
    );
    assert!(!out.contains("closure cannot be passed"), "{out}");
}

#[test]
fn lock_is_recorded_and_its_body_planned_without_a_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"pipeline {
  agent any
  options { lock('whole-build') }
  stages {
    stage('Deploy') {
      steps {
        lock('db') {
          sh 'migrate'
        }
        lock(resource: 'env', skipIfLocked: true) {
          echo 'inside'
        }
      }
    }
  }
}
";
    // `plan` checks that neither the work folder nor HOME gained a file (no `locks/`).
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    has(&out, "lock#1 resource: whole-build { … }");
    has(&out, "└── Deploy\n    lock#2 resource: db { … }\n");
    has(&out, "      sh#3\n");
    has(&out, "          $ migrate\n");
    has(&out, "    lock#4 resource: env, skipIfLocked: true { … }\n");
    has(&out, "      echo#5 message: inside (ran: no effect)");
    has(&out, "Result: SUCCESS\n");
    assert!(!tmp.path().join("work/locks").exists());
}

#[test]
fn a_result_set_from_a_run_time_value_could_be_that_result() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"pipeline {
  agent any
  stages {
    stage('Test') {
      steps {
        script {
          def out = sh(returnStdout: true, script: 'run-tests')
          currentBuild.result = out.contains('flaky') ? 'UNSTABLE' : 'SUCCESS'
        }
      }
    }
  }
  post {
    cleanup { echo 'clean' }
    failure { echo 'fail' }
    unstable { echo 'unstable' }
    success { echo 'ok' }
    changed { echo 'changed' }
    always { echo 'always' }
  }
}
";
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    // Not a certain FAILURE (the old plan parsed the placeholder as a result) nor a certain
    // SUCCESS: the planned result, and what it could become.
    has(
        &out,
        "Result: SUCCESS [could be UNSTABLE (currentBuild.result set from <",
    );
    assert!(!out.contains("Result: FAILURE"), "{out}");
    // The summary, in Jenkins' order, agrees with the planned post steps; a first build
    // (no previous record) always counts as changed, as in a run (tests/plan_review9.rs).
    has(
        &out,
        "Post: always (runs), changed (runs), success (could run: unless the result becomes UNSTABLE (currentBuild.result set from <",
    );
    has(
        &out,
        "unstable (could run: if the result becomes UNSTABLE (currentBuild.result set from <",
    );
    has(
        &out,
        "failure (could run: if a planned step fails), cleanup (runs)\n",
    );
    // Each planned post step under its condition, in Jenkins' order.
    before(&out, "    post always:\n    echo#", "    post changed:\n");
    before(&out, "    post changed:\n", "    post success:\n");
    before(&out, "    post success:\n", "    post unstable:\n");
    before(&out, "    post unstable:\n", "    post failure:\n");
    before(&out, "    post failure:\n", "    post cleanup:\n");
    has(
        &out,
        "    post always:\n    echo#2 message: always (ran: no effect)\n",
    );
    has(
        &out,
        "    post cleanup:\n    echo#7 message: clean (ran: no effect)\n",
    );
    let json = plan(tmp.path(), jenkinsfile, &[], "json", &[]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plan["result"], "SUCCESS");
    assert_eq!(plan["could_be"][0]["result"], "UNSTABLE");
    let post: Vec<(String, String)> = plan["post"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["condition"].as_str().unwrap().to_string(),
                p["runs"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("always", "yes"),
        // A first build is changed, whatever its result.
        ("changed", "yes"),
        ("success", "maybe"),
        ("unstable", "maybe"),
        ("failure", "maybe"),
        ("cleanup", "yes"),
    ];
    assert_eq!(
        post,
        expected
            .iter()
            .map(|(c, r)| ((*c).to_string(), (*r).to_string()))
            .collect::<Vec<_>>()
    );
    let stage = plan["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Declarative: Post Actions")
        .unwrap();
    let conditions: Vec<&str> = stage["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["post_condition"].as_str().unwrap())
        .collect();
    assert_eq!(
        conditions,
        [
            "always", "changed", "success", "unstable", "failure", "cleanup"
        ]
    );
}

#[test]
fn a_certain_success_runs_success_and_not_unstable() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"pipeline {
  agent any
  stages {
    stage('A') { steps { echo 'only echo' } }
  }
  post {
    unstable { echo 'unstable' }
    success { echo 'ok' }
  }
}
";
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    // Nothing planned can fail or mark the build: success runs, unstable does not, and no
    // unstable step is planned.
    has(&out, "Post: success (runs), unstable (does not run)\n");
    has(
        &out,
        "    post success:\n    echo#2 message: ok (ran: no effect)\n",
    );
    assert!(!out.contains("message: unstable"), "{out}");
}

#[test]
fn when_reasons_say_the_values() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"pipeline {
  agent any
  stages {
    stage('Main') {
      when { branch 'main' }
      steps { echo 'a' }
    }
    stage('Releases') {
      when { branch 'release/*' }
      steps { echo 'r' }
    }
    stage('Env') {
      when { environment name: 'DEPLOY_TO', value: 'prod' }
      steps { echo 'b' }
    }
    stage('Expr') {
      when { expression { return env.DEPLOY_TO } }
      steps { echo 'c' }
    }
    stage('Equals') {
      when { equals expected: 2, actual: 1 + 2 }
      steps { echo 'd' }
    }
  }
}
";
    let out = plan(
        tmp.path(),
        jenkinsfile,
        &[],
        "text",
        &["--branch", "feature/x", "--env", "DEPLOY_TO=staging"],
    );
    has(
        &out,
        "when branch 'main': false (BRANCH_NAME is 'feature/x', not 'main')",
    );
    has(
        &out,
        "when branch 'release/*': false (BRANCH_NAME is 'feature/x', which does not match 'release/*')",
    );
    has(
        &out,
        "when environment name: 'DEPLOY_TO', value: 'prod': false (DEPLOY_TO is 'staging', not 'prod')",
    );
    has(
        &out,
        "when expression { return env.DEPLOY_TO }: true (the expression returned 'staging')",
    );
    has(
        &out,
        "when equals expected: 2, actual: 1 + 2: false (actual is 3, expected 2)",
    );
}

#[test]
fn scripted_parallel_outside_a_stage_is_parallel() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"node {
  parallel linux: { sh 'make linux' }, windows: { sh 'make windows' }
}
";
    let out = plan(tmp.path(), jenkinsfile, &[], "text", &[]);
    has(
        &out,
        "Stages:\n└── parallel\n    ├── branch linux\n    │   sh#1\n    │       $ make linux\n    └── branch windows\n        sh#2\n            $ make windows\n",
    );
    let mermaid = plan(tmp.path(), jenkinsfile, &[], "mermaid", &[]);
    has(
        &mermaid,
        "  start((start))\n  s1[\"parallel\"]\n  s2[\"linux\"]\n  s1 --> s2\n  s3[\"windows\"]\n  s1 --> s3\n  start --> s1\n  finish((end))\n  s2 --> finish\n  s3 --> finish\n",
    );
    let json = plan(tmp.path(), jenkinsfile, &[], "json", &[]);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(plan["stages"][0]["kind"], "parallel");
    assert_eq!(plan["stages"][0]["parallel"], true);
    assert_eq!(plan["stages"][0]["stages"][1]["name"], "windows");
}

#[test]
fn check_knows_registry_credentials_and_tools_in_containers() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = r"pipeline {
  agent none
  stages {
    stage('Image') {
      agent {
        docker {
          image '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1'
          registryUrl 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com'
          registryCredentialsId 'ecr:us-east-1:aws-deployer'
        }
      }
      steps { sh 'make build' }
    }
    stage('Inside') {
      agent any
      steps {
        script {
          docker.image('node:20').inside {
            sh 'npm test'
          }
        }
      }
    }
  }
}
";
    // Nothing listens at DOCKER_HOST or AWS_ENDPOINT_URL: the engine and AWS items are
    // unreachable, the credential and tool items do not need them.
    let envs = [
        (
            "DOCKER_HOST",
            format!("unix://{}", tmp.path().join("no-docker.sock").display()),
        ),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9".to_string()),
    ];
    let out = plan_with(tmp.path(), jenkinsfile, &[], "text", &["--check"], &envs);
    has(
        &out,
        "  missing     credential ecr:us-east-1:aws-deployer: not in the credential store (a registry credential, for an ECR registry login)\n",
    );
    has(
        &out,
        "hint: add the aws credential `aws-deployer` to .jenkinsfile/credentials.toml or pass --credentials FILE",
    );
    // `npm` runs in node:20, `make` in the agent's image: neither is looked up on PATH
    // (where the stub `make` and `npm` are).
    has(
        &out,
        "  not checked tool npm: inside image node:20, not checked\n",
    );
    has(
        &out,
        "  not checked tool make: inside image 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1, not checked\n",
    );
    assert_eq!(
        out.matches("credential ecr:us-east-1:aws-deployer").count(),
        1,
        "{out}"
    );
    // `inside` is planned as the block Jenkins runs, never by asking the engine.
    has(&out, "withDockerContainer#2 image: node:20");
    assert!(!out.contains("ERROR"), "{out}");
}

#[test]
fn build_and_git_variables_are_the_runs() {
    let tmp = tempfile::tempdir().unwrap();
    // The job has run before: the next build is 8 (7 is taken although the counter says 7).
    let job = tmp.path().join("home/.local/share/jenkinsfile/jobs/demo");
    std::fs::create_dir_all(job.join("builds/7")).unwrap();
    std::fs::write(job.join("nextBuildNumber"), "7\n").unwrap();
    // A repository on `main` at a known commit, read from `.git` (no git runs).
    let git = tmp.path().join("work/.git");
    std::fs::create_dir_all(git.join("refs/heads")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(git.join("refs/heads/main"), format!("{sha}\n")).unwrap();
    let jenkinsfile = r"pipeline {
  agent any
  stages {
    stage('Show') {
      steps {
        echo 'build ${env.BUILD_NUMBER} id ${env.BUILD_ID} tag ${env.BUILD_TAG} job ${env.JOB_NAME}'
        echo 'url ${env.BUILD_URL}'
        echo 'commit ${env.GIT_COMMIT} branch ${env.GIT_BRANCH}'
      }
    }
  }
}
"
    .replace('\'', "\"");
    // `plan` also checks that the job's folder gained nothing (no build 8, no lock).
    let out = plan(tmp.path(), &jenkinsfile, &[], "text", &[]);
    has(
        &out,
        "message: build 8 id 8 tag jenkins-demo-8 job demo (ran: no effect)",
    );
    has(
        &out,
        &format!(
            "message: url file://{}/builds/8/ (ran: no effect)",
            job.display()
        ),
    );
    has(
        &out,
        &format!("message: commit {sha} branch main (ran: no effect)"),
    );
    assert!(!job.join("builds/8").exists());
}
