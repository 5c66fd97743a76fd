//! Leaf step executors called directly, the way the interpreter calls them: a `StepContext`
//! in a temporary workspace, JSON arguments, and the events they emit.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jenkinsfile::report::{Emitter, Event, Record};
use jenkinsfile::steps::{Cancel, ErrorKind, Host, StepContext, StepError, lookup};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::mpsc::UnboundedReceiver;

struct Harness {
    _dir: TempDir,
    ctx: StepContext,
    rx: UnboundedReceiver<Record>,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace");
        std::fs::create_dir_all(&workspace).unwrap();
        let (emit, rx) = Emitter::channel();
        let mut env = indexmap::IndexMap::new();
        env.insert("PATH".to_owned(), std::env::var("PATH").unwrap());
        env.insert("GREETING".to_owned(), "hello there".to_owned());
        let mut tools = indexmap::IndexMap::new();
        tools.insert("jdk17".to_owned(), PathBuf::from("/opt/jdk-17"));
        let host = Host {
            workspace: workspace.clone(),
            jenkins_home: dir.path().to_path_buf(),
            build_dir: dir.path().join("jobs/demo/builds/1"),
            tools,
            ..Host::default()
        };
        let ctx = StepContext {
            cwd: workspace,
            env,
            emit,
            cancel: Cancel::new(),
            host: Arc::new(host),
            agent: None,
        };
        Harness { _dir: dir, ctx, rx }
    }

    fn workspace(&self) -> &Path {
        &self.ctx.host.workspace
    }

    async fn run(&self, step: &str, args: Value) -> Result<Value, StepError> {
        let executor = lookup(step).unwrap_or_else(|| panic!("no executor for {step}"));
        let Value::Object(map) = args else {
            panic!("arguments must be a map")
        };
        executor(&self.ctx, map).await
    }

    /// Everything emitted so far, as console-ish text (output as it came, log lines with `\n`).
    fn drain(&mut self) -> Vec<Record> {
        let mut records = Vec::new();
        while let Ok(record) = self.rx.try_recv() {
            records.push(record);
        }
        records
    }

    fn text(&mut self) -> String {
        self.drain()
            .into_iter()
            .map(|record| match record.event {
                Event::Output { text } => text,
                Event::Log { line } => format!("{line}\n"),
                other => format!("{other:?}\n"),
            })
            .collect()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn sh_prints_the_shell_trace_and_output_in_order() {
    let mut h = Harness::new();
    let value = rt()
        .block_on(h.run(
            "sh",
            json!({"script": "echo \"$GREETING\"\necho second >&2\necho third"}),
        ))
        .unwrap();
    assert_eq!(value, Value::Null);
    // The trace format is the shell's own; dash and bash agree on these unquoted words.
    let text = h.text();
    assert!(
        text == "+ echo hello there\nhello there\n+ echo second\nsecond\n+ echo third\nthird\n"
            || text
                == "+ echo 'hello there'\nhello there\n+ echo second\nsecond\n+ echo third\nthird\n",
        "{text}"
    );
}

#[test]
fn sh_fails_with_jenkins_message_and_stops_at_the_first_error() {
    let mut h = Harness::new();
    let err = rt()
        .block_on(h.run("sh", json!({"script": "echo before\nexit 3\necho after"})))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Abort);
    assert_eq!(err.message, "script returned exit code 3");
    let text = h.text();
    assert!(
        text.contains("before\n") && !text.contains("after\n"),
        "{text}"
    );
}

#[test]
fn sh_return_stdout_keeps_the_trailing_newline_and_logs_only_the_trace() {
    let mut h = Harness::new();
    let value = rt()
        .block_on(h.run("sh", json!({"script": "echo 1.2.3", "returnStdout": true})))
        .unwrap();
    assert_eq!(value, json!("1.2.3\n"));
    assert_eq!(h.text(), "+ echo 1.2.3\n");
}

#[test]
fn sh_return_status_never_fails_and_wins_over_return_stdout() {
    let h = Harness::new();
    let rt = rt();
    let value = rt
        .block_on(h.run("sh", json!({"script": "exit 7", "returnStatus": true})))
        .unwrap();
    assert_eq!(value, json!(7));
    let value = rt
        .block_on(h.run(
            "sh",
            json!({"script": "echo out; exit 2", "returnStatus": true, "returnStdout": true}),
        ))
        .unwrap();
    assert_eq!(value, json!(2));
}

#[test]
fn sh_return_stdout_failure_logs_the_captured_output_first() {
    let mut h = Harness::new();
    let err = rt()
        .block_on(h.run(
            "sh",
            json!({"script": "echo partial; exit 1", "returnStdout": true}),
        ))
        .unwrap_err();
    assert_eq!(err.message, "script returned exit code 1");
    assert!(h.text().ends_with("partial\n"));
}

#[test]
fn sh_runs_a_shebang_script_directly_without_trace() {
    let mut h = Harness::new();
    let script = "#!/bin/sh\necho \"$0\"\necho done";
    rt().block_on(h.run("sh", json!({"script": script})))
        .unwrap();
    let text = h.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    // `$0` is the copy inside `<cwd>@tmp/durable-<8 hex>/`.
    let tmp = format!("{}@tmp/durable-", h.workspace().display());
    assert!(lines[0].starts_with(&tmp), "{}", lines[0]);
    assert!(lines[0].ends_with("/script.sh.copy"));
    assert_eq!(lines[0].len(), tmp.len() + 8 + "/script.sh.copy".len());
    assert_eq!(lines[1], "done");
}

#[test]
fn sh_with_a_leading_newline_ignores_the_shebang() {
    let mut h = Harness::new();
    rt().block_on(h.run("sh", json!({"script": "\n#!/bin/bash\necho x"})))
        .unwrap();
    assert_eq!(h.text(), "+ echo x\nx\n");
}

#[test]
fn sh_creates_the_current_directory_and_removes_its_control_directory() {
    let mut h = Harness::new();
    h.ctx.cwd = h.workspace().join("sub/dir");
    rt().block_on(h.run("sh", json!({"script": "pwd"})))
        .unwrap();
    let text = h.text();
    assert!(
        text.ends_with(&format!("{}\n", h.ctx.cwd.display())),
        "{text}"
    );
    let tmp = h.workspace().join("sub/dir@tmp");
    assert!(tmp.is_dir());
    assert_eq!(std::fs::read_dir(tmp).unwrap().count(), 0);
}

#[test]
fn sh_sees_exactly_the_step_environment_plus_the_cookie() {
    let h = Harness::new();
    let value = rt()
        .block_on(h.run(
            "sh",
            json!({"script": "env | cut -d= -f1 | sort", "returnStdout": true}),
        ))
        .unwrap();
    let names: Vec<&str> = value.as_str().unwrap().lines().collect();
    // A shell may add its own (PWD, SHLVL, OLDPWD, `_`); nothing of the test's environment leaks.
    for name in ["GREETING", "JENKINS_SERVER_COOKIE", "PATH"] {
        assert!(names.contains(&name), "{names:?}");
    }
    for name in &names {
        assert!(
            [
                "GREETING",
                "JENKINS_SERVER_COOKIE",
                "PATH",
                "PWD",
                "SHLVL",
                "OLDPWD",
                "_"
            ]
            .contains(name),
            "unexpected variable {name}"
        );
    }
}

#[test]
fn sh_decodes_output_with_the_given_encoding() {
    let h = Harness::new();
    let value = rt()
        .block_on(h.run(
            "sh",
            json!({"script": "printf 'caf\\351\\n'", "returnStdout": true, "encoding": "ISO-8859-1"}),
        ))
        .unwrap();
    assert_eq!(value, json!("café\n"));
}

#[test]
fn sh_streams_each_line_while_the_script_runs() {
    let mut h = Harness::new();
    let started = Instant::now();
    rt().block_on(h.run("sh", json!({"script": "echo one\nsleep 1\necho two"})))
        .unwrap();
    let finished_ms = jenkinsfile::report::now_ms();
    let records = h.drain();
    let one = records
        .iter()
        .find(|r| matches!(&r.event, Event::Output { text } if text == "one\n"))
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    // `one` was emitted a second before the step ended, not buffered until the end.
    assert!(
        finished_ms - one.time_ms >= 800,
        "{}",
        finished_ms - one.time_ms
    );
}

fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // A zombie has exited; it only waits for its parent to reap it.
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

#[test]
fn cancelling_sh_kills_the_whole_process_group() {
    let mut h = Harness::new();
    let pid_file = h.workspace().join("bg.pid");
    let script = format!("sleep 300 &\necho $! > {}\nsleep 300", pid_file.display());
    let cancel = h.ctx.cancel.clone();
    let started = Instant::now();
    let err = rt()
        .block_on(async {
            let step = h.run("sh", json!({"script": script}));
            let trigger = async {
                while !pid_file.exists() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                let pid: u32 = std::fs::read_to_string(&pid_file)
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap();
                assert!(process_alive(pid), "the check below must be able to fail");
                cancel.cancel("Timeout has been exceeded");
                std::future::pending::<()>().await;
            };
            tokio::select! {
                result = step => result,
                () = trigger => unreachable!(),
            }
        })
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Interrupted);
    assert_eq!(err.message, "Timeout has been exceeded");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(h.text().contains("Sending interrupt signal to process\n"));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while process_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!process_alive(pid), "background grandchild {pid} survived");
}

#[test]
fn dropping_a_running_sh_kills_its_process_group() {
    let h = Harness::new();
    let pid_file = h.workspace().join("bg.pid");
    let script = format!("sleep 300 &\necho $! > {}\nwait", pid_file.display());
    rt().block_on(async {
        let step = h.run("sh", json!({"script": script}));
        let _ = tokio::time::timeout(Duration::from_millis(500), step).await;
    });
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while process_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!process_alive(pid), "background grandchild {pid} survived");
}

#[test]
fn file_steps_read_write_and_check_relative_to_the_current_directory() {
    let mut h = Harness::new();
    h.ctx.cwd = h.workspace().join("sub");
    let rt = rt();
    rt.block_on(h.run("writeFile", json!({"file": "a/b.txt", "text": "héllo\n"})))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(h.workspace().join("sub/a/b.txt")).unwrap(),
        "héllo\n"
    );
    let read = rt
        .block_on(h.run("readFile", json!({"file": "a/b.txt"})))
        .unwrap();
    assert_eq!(read, json!("héllo\n"));
    let b64 = rt
        .block_on(h.run("readFile", json!({"file": "a/b.txt", "encoding": "Base64"})))
        .unwrap();
    assert_eq!(b64, json!("aMOpbGxvCg=="));
    rt.block_on(h.run(
        "writeFile",
        json!({"file": "bin", "text": "AAEC", "encoding": "Base64"}),
    ))
    .unwrap();
    assert_eq!(
        std::fs::read(h.workspace().join("sub/bin")).unwrap(),
        [0, 1, 2]
    );
    assert_eq!(
        rt.block_on(h.run("fileExists", json!({"file": "a/b.txt"})))
            .unwrap(),
        json!(true)
    );
    assert_eq!(
        rt.block_on(h.run("fileExists", json!({"file": "nope"})))
            .unwrap(),
        json!(false)
    );
    assert_eq!(
        rt.block_on(h.run("fileExists", json!({"file": ""})))
            .unwrap(),
        json!(true)
    );
    assert!(
        h.text()
            .contains("so the current directory will be checked instead.")
    );
    let missing = rt
        .block_on(h.run("readFile", json!({"file": "missing.txt"})))
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::Failure);
    assert_eq!(
        missing.message,
        format!(
            "java.nio.file.NoSuchFileException: {}",
            h.workspace().join("sub/missing.txt").display()
        )
    );
}

#[test]
fn pwd_and_delete_dir_work_on_the_current_directory() {
    let mut h = Harness::new();
    let rt = rt();
    h.ctx.cwd = h.workspace().join("build");
    std::fs::create_dir_all(h.ctx.cwd.join("deep")).unwrap();
    std::fs::write(h.workspace().join("keep.txt"), "x").unwrap();
    let pwd = rt.block_on(h.run("pwd", json!({}))).unwrap();
    assert_eq!(pwd, json!(h.ctx.cwd.display().to_string()));
    let tmp = rt.block_on(h.run("pwd", json!({"tmp": true}))).unwrap();
    assert_eq!(tmp, json!(format!("{}@tmp", h.ctx.cwd.display())));
    rt.block_on(h.run("deleteDir", json!({}))).unwrap();
    assert!(!h.ctx.cwd.exists());
    assert!(h.workspace().join("keep.txt").exists());
    h.ctx.cwd = PathBuf::from("/");
    let refused = rt.block_on(h.run("deleteDir", json!({}))).unwrap_err();
    assert!(refused.message.starts_with("refusing to delete /"));
}

#[test]
fn echo_error_is_unix_and_sleep() {
    let mut h = Harness::new();
    let rt = rt();
    rt.block_on(h.run("echo", json!({"message": "Hello World!"})))
        .unwrap();
    assert_eq!(h.text(), "Hello World!\n");
    let err = rt
        .block_on(h.run("error", json!({"message": "boom"})))
        .unwrap_err();
    assert_eq!((err.kind, err.message.as_str()), (ErrorKind::Abort, "boom"));
    assert_eq!(
        rt.block_on(h.run("isUnix", json!({}))).unwrap(),
        json!(true)
    );
    let started = Instant::now();
    rt.block_on(h.run("sleep", json!({"time": 300, "unit": "MILLISECONDS"})))
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(h.text(), "Sleeping for 0.3 sec\n");
    h.ctx.cancel.cancel("Aborted by user");
    let err = rt
        .block_on(h.run("sleep", json!({"time": 60})))
        .unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::Interrupted, "Aborted by user")
    );
    assert_eq!(h.text(), "Sleeping for 1 min 0 sec\n");
}

#[test]
fn tool_mail_build_and_windows_shells() {
    let mut h = Harness::new();
    let rt = rt();
    let home = rt
        .block_on(h.run("tool", json!({"name": "jdk17"})))
        .unwrap();
    assert_eq!(home, json!("/opt/jdk-17"));
    let err = rt
        .block_on(h.run(
            "tool",
            json!({"name": "mvn3", "type": "hudson.tasks.Maven$MavenInstallation"}),
        ))
        .unwrap_err();
    assert!(
        err.message.starts_with("No Maven named mvn3 found"),
        "{}",
        err.message
    );
    assert!(err.message.contains("[tools]"));
    rt.block_on(h.run(
        "mail",
        json!({"to": "team@example.com", "subject": "Done", "body": "All good"}),
    ))
    .unwrap();
    assert_eq!(
        h.text(),
        "mail (printed, not sent: no mail server locally)\nto: team@example.com\nsubject: Done\nAll good\n"
    );
    let err = rt
        .block_on(h.run("build", json!({"job": "deploy"})))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert!(err.message.contains("needs a Jenkins server"));
    for shell in ["bat", "powershell", "pwsh"] {
        let err = rt
            .block_on(h.run(shell, json!({"script": "dir"})))
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(
            err.message.contains("not available on this platform"),
            "{}",
            err.message
        );
    }
    assert!(
        lookup("node").is_none(),
        "body steps belong to the interpreter"
    );
}
