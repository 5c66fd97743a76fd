//! `jenkinsfile run` as a user runs it: the repository stays byte-identical, Ctrl-C aborts and
//! leaves no process behind, JSON lines, and the withheld-environment note.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{git, tree};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

fn command(home: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("run")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"));
    command
}

#[test]
fn the_repository_is_byte_identical_after_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(
        repo.join("Jenkinsfile"),
        "node {\n    writeFile file: 'notes.txt', text: 'overwritten'\n    sh 'echo appended >> notes.txt; echo x >> src/app.c || true'\n    deleteDir()\n}\n",
    )
    .unwrap();
    std::fs::write(repo.join("notes.txt"), "original\n").unwrap();
    std::fs::write(repo.join("src/app.c"), "int x;\n").unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "init"]);
    let before = tree(&repo);
    let output = command(tmp.path()).current_dir(&repo).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(tree(&repo), before, "the run changed the repository");
    // Default home, job named after the repository, branch from git.
    let record = tmp
        .path()
        .join("data/jenkinsfile/jobs/shop/builds/1/build.json");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
    assert_eq!(record["branch"], "main");
    assert_eq!(record["git_commit"].as_str().map(str::len), Some(40));
}

#[test]
fn ctrl_c_aborts_stops_every_process_and_exits_130() {
    let tmp = tempfile::tempdir().unwrap();
    let pid_file = tmp.path().join("bg.pid");
    let jenkinsfile = tmp.path().join("Jenkinsfile");
    std::fs::write(
        &jenkinsfile,
        format!(
            "node {{\n    sh 'sleep 300 & echo $! > {}; sleep 300'\n}}\n",
            pid_file.display()
        ),
    )
    .unwrap();
    let child = command(tmp.path())
        .arg(&jenkinsfile)
        .arg("--home")
        .arg(tmp.path().join("home"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&pid_file).map_or(true, |t| !t.ends_with('\n')) {
        assert!(Instant::now() < deadline, "the script never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let background: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Sending interrupt signal to process\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("Finished: ABORTED\n"), "{stdout}");
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            !stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
    };
    let deadline = Instant::now() + Duration::from_secs(3);
    while alive(background) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !alive(background),
        "background process {background} survived Ctrl-C"
    );
    let record = tmp.path().join("home/jobs");
    let record = std::fs::read_dir(record)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("builds/1/build.json");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(record).unwrap()).unwrap();
    assert_eq!(record["result"], "ABORTED");
}

#[test]
fn json_lines_and_the_withheld_note() {
    let tmp = tempfile::tempdir().unwrap();
    let jenkinsfile = tmp.path().join("Jenkinsfile");
    std::fs::write(&jenkinsfile, "node {\n    stage('Build') {\n        sh 'echo \"token=${GITHUB_TOKEN:-none}\"'\n    }\n}\n").unwrap();
    let output = command(tmp.path())
        .arg(&jenkinsfile)
        .args(["--format", "json", "--job", "j"])
        .arg("--home")
        .arg(tmp.path().join("home"))
        .env("GITHUB_TOKEN", "ghp_secret")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "log");
    assert_eq!(
        events[0]["line"],
        "Withheld secret-looking environment variables: GITHUB_TOKEN (pass one with --pass-env NAME)"
    );
    assert_eq!(events[1]["event"], "pipeline_start");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "output" && e["text"] == "token=none\n")
    );
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "stage_end" && e["name"] == "Build" && e["result"] == "SUCCESS")
    );
    let last = events.last().unwrap();
    assert_eq!(
        (last["event"].as_str(), last["result"].as_str()),
        (Some("finished"), Some("SUCCESS"))
    );
    // The stored log is the console form, whatever the user's format.
    let log = std::fs::read_to_string(tmp.path().join("home/jobs/j/builds/1/log")).unwrap();
    assert!(
        log.contains("[Pipeline] { (Build)\n[Pipeline] sh\n+ echo token=none\ntoken=none\n"),
        "{log}"
    );
    assert!(!stdout.contains("ghp_secret"));
}

#[test]
fn in_place_uses_the_repository_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("tool");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(
        repo.join("Jenkinsfile"),
        "node {\n    sh 'echo built > out.txt'\n}\n",
    )
    .unwrap();
    let output = command(tmp.path())
        .arg("--in-place")
        .arg("--home")
        .arg(tmp.path().join("home"))
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Warning: --in-place: the workspace is "),
        "{first}"
    );
    assert!(first.contains("deleteDir, cleanWs and every write touch your files"));
    assert_eq!(
        std::fs::read_to_string(repo.join("out.txt")).unwrap(),
        "built\n"
    );
    assert!(!tmp.path().join("home/jobs/tool/workspace").exists());
}
