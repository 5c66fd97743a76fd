//! Whole builds through `home::drive`, with the interpreter's part played by hand: the body
//! emits the flow events an interpreter would and calls the real step executors. What is
//! checked is the runtime's half: workspace placement, environment, the masked log, the
//! build record, and that the user's repository is never touched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jenkinsfile::home::{DriveOptions, RunOptions, Session, drive};
use jenkinsfile::report::{BuildResult, Event};
use jenkinsfile::steps::{StepContext, lookup};
use serde_json::{Value, json};

use crate::support::tree;

/// A `Write` whose bytes the test can read afterwards.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

async fn step(ctx: &StepContext, name: &str, args: Value) -> Result<Value, String> {
    ctx.emit.emit(Event::StepStart {
        name: name.into(),
        summary: String::new(),
        block: false,
        stage: None,
        branch: None,
    });
    let Value::Object(map) = args else {
        unreachable!()
    };
    let result = lookup(name).unwrap()(ctx, map).await;
    ctx.emit.emit(Event::StepEnd {
        name: name.into(),
        block: false,
        result: if result.is_ok() {
            BuildResult::Success
        } else {
            BuildResult::Failure
        },
        duration_ms: 0,
        error: result.as_ref().err().map(ToString::to_string),
    });
    result.map_err(|e| e.message)
}

fn repo_with_jenkinsfile(root: &Path) -> PathBuf {
    let repo = root.join("my-app");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(repo.join("Jenkinsfile"), "node { deleteDir() }\n").unwrap();
    std::fs::write(repo.join("src/main.c"), "int main() { return 0; }\n").unwrap();
    std::fs::write(repo.join("notes.txt"), "original\n").unwrap();
    repo
}

fn options(root: &Path, repo: &Path) -> RunOptions {
    RunOptions {
        jenkinsfile: repo.join("Jenkinsfile"),
        home: root.join("home"),
        ..RunOptions::default()
    }
}

fn env() -> Vec<(String, String)> {
    vec![
        ("PATH".to_owned(), std::env::var("PATH").unwrap()),
        ("HOME".to_owned(), "/home/someone".to_owned()),
        ("GITHUB_TOKEN".to_owned(), "ghp_do_not_leak".to_owned()),
    ]
}

#[test]
fn a_build_never_touches_the_users_repository() {
    let root = tempfile::tempdir().unwrap();
    let repo = repo_with_jenkinsfile(root.path());
    let before = tree(&repo);
    let session = Session::open(options(root.path(), &repo), env()).unwrap();
    assert_eq!(session.job.name, "my-app");
    assert_eq!(
        session.workspace,
        root.path().join("home/jobs/my-app/workspace")
    );
    let out = Shared::default();
    let driven = drive(
        &session,
        &DriveOptions::default(),
        Box::new(out.clone()),
        |ctx| async move {
            step(&ctx, "deleteDir", json!({})).await.unwrap();
            step(
                &ctx,
                "writeFile",
                json!({"file": "notes.txt", "text": "overwritten\n"}),
            )
            .await
            .unwrap();
            step(
                &ctx,
                "sh",
                json!({"script": "echo appended >> notes.txt; mkdir -p src; echo more >> src/main.c"}),
            )
            .await
            .unwrap();
            BuildResult::Success.into()
        },
    )
    .unwrap();
    assert_eq!(driven.result, BuildResult::Success);
    assert_eq!(tree(&repo), before, "the repository changed");
    let ws = &session.workspace;
    assert_eq!(
        std::fs::read_to_string(ws.join("notes.txt")).unwrap(),
        "overwritten\nappended\n"
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("src/main.c")).unwrap(),
        "more\n"
    );
}

#[test]
fn the_log_is_masked_and_the_record_is_written() {
    let root = tempfile::tempdir().unwrap();
    let repo = repo_with_jenkinsfile(root.path());
    let mut opts = options(root.path(), &repo);
    opts.branch = Some("main".to_owned());
    opts.params
        .insert("TARGET".to_owned(), "staging".to_owned());
    let session = Session::open(opts, env()).unwrap();
    let out = Shared::default();
    let drive_options = DriveOptions {
        secrets: vec!["s3cr3t-pw".to_owned()],
        ..DriveOptions::default()
    };
    let driven = drive(
        &session,
        &drive_options,
        Box::new(out.clone()),
        |ctx| async move {
            ctx.emit.emit(Event::PipelineStart);
            ctx.emit.emit(Event::StageStart {
                name: "Build".into(),
                branch: None,
            });
            let value = step(
                &ctx,
                "sh",
                json!({"script": "echo \"$BUILD_TAG $TARGET $GITHUB_TOKEN.\"\necho s3cr3t-pw"}),
            )
            .await
            .unwrap();
            assert_eq!(value, Value::Null);
            ctx.emit.emit(Event::StageEnd {
                name: "Build".into(),
                result: BuildResult::Unstable,
                skipped: false,
                duration_ms: 5,
            });
            ctx.emit.emit(Event::PipelineEnd);
            ctx.emit.emit(Event::Finished {
                result: BuildResult::Unstable,
                duration_ms: 7,
            });
            BuildResult::Unstable.into()
        },
    )
    .unwrap();
    assert_eq!(driven.result, BuildResult::Unstable);
    let log = std::fs::read_to_string(session.build.log_path()).unwrap();
    assert_eq!(log, out.text(), "the console and the stored log differ");
    // The trace line differs between dash and bash only in quoting.
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], "[Pipeline] Start of Pipeline");
    assert_eq!(lines[3], "[Pipeline] sh");
    assert_eq!(lines[5], "jenkins-my-app-1 staging .");
    assert_eq!(lines[6], "+ echo ****");
    assert_eq!(lines[7], "****");
    assert_eq!(
        &lines[8..],
        [
            "[Pipeline] }",
            "[Pipeline] // stage",
            "[Pipeline] End of Pipeline",
            "Finished: UNSTABLE"
        ]
    );
    assert!(!log.contains("s3cr3t"));
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(session.build.record_path()).unwrap())
            .unwrap();
    assert_eq!(record["job"], "my-app");
    assert_eq!(record["number"], 1);
    assert_eq!(record["result"], "UNSTABLE");
    assert_eq!(record["branch"], "main");
    assert_eq!(record["parameters"], json!({"TARGET": "staging"}));
    assert_eq!(
        record["stages"],
        json!([{"name": "Build", "result": "UNSTABLE", "skipped": false, "duration_ms": 5}])
    );
    assert_eq!(record["artifacts"], json!([]));
}

#[test]
fn the_step_environment_has_the_standard_variables_and_no_withheld_ones() {
    let root = tempfile::tempdir().unwrap();
    let repo = repo_with_jenkinsfile(root.path());
    let session = Session::open(options(root.path(), &repo), env()).unwrap();
    assert_eq!(session.host_env.withheld, ["GITHUB_TOKEN"]);
    let (emit, _rx) = jenkinsfile::report::Emitter::channel();
    let ctx = session.step_context(emit, jenkinsfile::steps::Cancel::new());
    assert_eq!(ctx.cwd, session.workspace);
    assert_eq!(ctx.env["HOME"], "/home/someone");
    assert_eq!(
        ctx.env["WORKSPACE"],
        session.workspace.display().to_string()
    );
    assert_eq!(ctx.env["BUILD_NUMBER"], "1");
    assert_eq!(ctx.env["NODE_NAME"], "built-in");
    assert!(!ctx.env.contains_key("GITHUB_TOKEN"));
    let mut passing = options(root.path(), &repo);
    passing.pass_env = vec!["GITHUB_TOKEN".to_owned()];
    let second = Session::open(passing, env()).unwrap();
    assert_eq!(second.build.number, 2);
    assert!(second.node_env().contains_key("GITHUB_TOKEN"));
    // The first build holds `workspace` until it is dropped.
    assert_eq!(second.workspace.file_name().unwrap(), "workspace@2");
}

#[test]
fn builds_are_numbered_and_remember_the_previous_one() {
    let root = tempfile::tempdir().unwrap();
    let repo = repo_with_jenkinsfile(root.path());
    for (expected, result) in [(1, BuildResult::Failure), (2, BuildResult::Success)] {
        let session = Session::open(options(root.path(), &repo), env()).unwrap();
        assert_eq!(session.build.number, expected);
        let driven = drive(
            &session,
            &DriveOptions::default(),
            Box::new(Shared::default()),
            |_| async move { result.into() },
        )
        .unwrap();
        assert_eq!(driven.record.result, result.as_str());
    }
    let third = Session::open(options(root.path(), &repo), env()).unwrap();
    let previous = third.previous_build().unwrap();
    assert_eq!((previous.number, previous.result.as_str()), (2, "SUCCESS"));
}
