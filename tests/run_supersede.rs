//! Two concurrent builds of one job and the `milestone` step (pipeline-milestone-step): a
//! newer build passing a milestone cancels the older builds that have not passed it, with
//! Jenkins' cause `Superseded by <job>#<N>` and the result `NOT_BUILT`, including an older build
//! still waiting for a `lock` the newer one holds.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jenkinsfile");

struct Job {
    _dir: tempfile::TempDir,
    jenkinsfile: PathBuf,
    home: PathBuf,
}

impl Job {
    fn new(script: &str) -> Job {
        let dir = tempfile::tempdir().unwrap();
        let jenkinsfile = dir.path().join("Jenkinsfile");
        std::fs::write(&jenkinsfile, script).unwrap();
        let home = dir.path().join("home");
        Job {
            _dir: dir,
            jenkinsfile,
            home,
        }
    }

    /// Starts a build with `WHO` set, so the script can tell the two apart.
    fn start(&self, who: &str) -> Child {
        self.start_with(&["-p", &format!("WHO={who}")])
    }

    fn start_with(&self, args: &[&str]) -> Child {
        Command::new(BIN)
            .arg("run")
            .arg(&self.jenkinsfile)
            .args(["--job", "demo", "--clean-env"])
            .args(args)
            .arg("--home")
            .arg(&self.home)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap())
            .env("HOME", &self.home)
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Waits until `line` appears in build `number`'s log.
    fn wait_for(&self, number: u32, line: &str) {
        let log = self.home.join(format!("jobs/demo/builds/{number}/log"));
        let started = Instant::now();
        while !std::fs::read_to_string(&log).is_ok_and(|t| t.contains(line)) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "build #{number} never logged {line:?}: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until build #1's `sh` has touched `first-started` (the build log is written in
    /// blocks, so the build says it is running by a file).
    fn wait_for_first_sh(&self) {
        let marker = self.home.join("first-started");
        let waiting = Instant::now();
        while !marker.exists() {
            assert!(
                waiting.elapsed() < Duration::from_secs(60),
                "build #1 never started its sh"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn recorded_result(&self, number: u32) -> String {
        let path = self
            .home
            .join(format!("jobs/demo/builds/{number}/build.json"));
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record["result"].as_str().unwrap().to_string()
    }
}

fn finish(child: Child) -> (String, i32) {
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

/// Build #1 stops before its milestone; build #2 passes it, so #1 is cancelled.
const AT_A_MILESTONE: &str = "\
pipeline {
    agent any
    parameters { string(name: 'WHO', defaultValue: '') }
    stages {
        stage('Build') {
            steps {
                echo \"building ${params.WHO}\"
                script {
                    if (params.WHO == 'first') {
                        sh 'touch \"$JENKINS_HOME/first-started\"; sleep 60'
                    }
                }
                milestone 1
                echo \"passed ${params.WHO}\"
            }
            post {
                cleanup { echo \"stage cleanup ${params.WHO}\" }
                notBuilt { echo \"stage notBuilt ${params.WHO}\" }
                failure { echo \"stage failure ${params.WHO}\" }
                unsuccessful { echo \"stage unsuccessful ${params.WHO}\" }
                success { echo \"stage success ${params.WHO}\" }
                aborted { echo \"stage aborted ${params.WHO}\" }
                always { echo \"stage always ${params.WHO}\" }
            }
        }
    }
    post {
        cleanup { echo \"cleanup ${params.WHO}\" }
        notBuilt { echo \"notBuilt ${currentBuild.result} ${params.WHO}\" }
        failure { echo \"failure ${params.WHO}\" }
        unsuccessful { echo \"unsuccessful ${params.WHO}\" }
        success { echo \"success ${params.WHO}\" }
        aborted { echo \"aborted ${params.WHO}\" }
        always { echo \"always ${params.WHO}\" }
    }
}
";

/// The echoed post lines of a log, in order.
fn posts(log: &str) -> Vec<&str> {
    let names = [
        "always",
        "aborted",
        "success",
        "unsuccessful",
        "failure",
        "notBuilt",
        "cleanup",
    ];
    log.lines()
        .filter(|l| {
            let word = l.strip_prefix("stage ").unwrap_or(l);
            names.iter().any(|n| word.starts_with(&format!("{n} ")))
        })
        .collect()
}

#[test]
fn a_newer_build_passing_a_milestone_supersedes_an_older_one() {
    let job = Job::new(AT_A_MILESTONE);
    let first = job.start("first");
    job.wait_for_first_sh();
    let started = Instant::now();
    let second = job.start("second");
    let (second_log, second_code) = finish(second);
    assert_eq!(second_code, 0, "{second_log}");
    assert!(second_log.contains("passed second"), "{second_log}");
    let (first_log, first_code) = finish(first);
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "build #1 ran its sleep out instead of being cancelled: {first_log}"
    );
    // pipeline-milestone-step: `Executor.interrupt(Result.NOT_BUILT, new CancelledCause(..))`.
    assert!(first_log.contains("Superseded by demo#2\n"), "{first_log}");
    assert!(!first_log.contains("passed first"), "{first_log}");
    assert!(!first_log.contains("Aborted by user"), "{first_log}");
    assert!(first_log.ends_with("Finished: NOT_BUILT\n"), "{first_log}");
    assert_eq!(first_code, 5, "{first_log}");
    assert_eq!(job.recorded_result(1), "NOT_BUILT");
    assert_eq!(job.recorded_result(2), "SUCCESS");
    // The interruption carries NOT_BUILT, so post runs notBuilt (not aborted), in Jenkins'
    // fixed order whatever the written one, at stage and pipeline level (runtime-semantics §5.6).
    assert_eq!(
        posts(&first_log),
        [
            "stage always first",
            "stage unsuccessful first",
            "stage notBuilt first",
            "stage cleanup first",
            "always first",
            "unsuccessful first",
            "notBuilt NOT_BUILT first",
            "cleanup first",
        ],
        "{first_log}"
    );
    assert_eq!(
        posts(&second_log),
        [
            "stage always second",
            "stage success second",
            "stage cleanup second",
            "always second",
            "success second",
            "cleanup second",
        ],
        "{second_log}"
    );
}

/// Build #2 holds the lock while it passes the milestone; build #1 waits for the lock.
const WAITING_ON_A_LOCK: &str = "\
pipeline {
    agent any
    parameters { string(name: 'WHO', defaultValue: '') }
    stages {
        stage('Deploy') {
            steps {
                echo \"starting ${params.WHO}\"
                script {
                    if (params.WHO == 'first') {
                        sh 'while [ ! -e \"$JENKINS_HOME/second-holds-it\" ]; do sleep 0.1; done'
                    }
                }
                lock('deploy') {
                    script {
                        if (params.WHO == 'second') {
                            sh 'touch \"$JENKINS_HOME/second-holds-it\"'
                            sleep 3
                        }
                    }
                    milestone 1
                    echo \"deployed by ${params.WHO}\"
                }
            }
        }
    }
}
";

#[test]
fn a_build_waiting_for_a_lock_is_cancelled_when_superseded() {
    let job = Job::new(WAITING_ON_A_LOCK);
    let first = job.start("first");
    job.wait_for(1, "starting first");
    let second = job.start("second");
    job.wait_for(1, "is locked by demo #2, waiting...");
    let (second_log, second_code) = finish(second);
    assert_eq!(second_code, 0, "{second_log}");
    assert!(
        second_log.contains("Lock acquired on [Resource: deploy]"),
        "{second_log}"
    );
    assert!(second_log.contains("deployed by second"), "{second_log}");
    assert!(
        second_log.contains("Lock released on resource [Resource: deploy]"),
        "{second_log}"
    );
    let (first_log, first_code) = finish(first);
    assert!(first_log.contains("Superseded by demo#2\n"), "{first_log}");
    assert!(!first_log.contains("deployed by first"), "{first_log}");
    assert!(first_log.ends_with("Finished: NOT_BUILT\n"), "{first_log}");
    assert_eq!(first_code, 5, "{first_log}");
    assert_eq!(job.recorded_result(1), "NOT_BUILT");
}

/// Without a newer build, `lock` just runs its body and prints the plugin's lines.
#[test]
fn lock_runs_its_body_alone() {
    let job = Job::new(
        "\
node {
    lock('r') { echo 'inside' }
}
",
    );
    let (log, code) = finish(job.start_with(&[]));
    assert_eq!(code, 0, "{log}");
    let wanted = "\
[Pipeline] lock
Resource [r] did not exist. Created.
Trying to acquire lock on [Resource: r]
Lock acquired on [Resource: r]
[Pipeline] {
[Pipeline] echo
inside
[Pipeline] }
Lock released on resource [Resource: r]
[Pipeline] // lock
";
    assert!(log.contains(wanted), "{log}");
    assert!(Path::new(&job.home).join("locks/r.lock").is_file());
}

/// Build #1's `notBuilt` post outlasts build #2, which passed the milestone and then ends.
const SLOW_TO_WIND_DOWN: &str = "\
pipeline {
    agent any
    parameters { string(name: 'WHO', defaultValue: '') }
    stages {
        stage('Build') {
            steps {
                script {
                    if (params.WHO == 'first') {
                        sh 'touch \"$JENKINS_HOME/first-started\"; sleep 60'
                    }
                }
                milestone 1
                echo \"passed ${params.WHO}\"
            }
        }
    }
    post {
        notBuilt {
            sh 'sleep 4'
            echo \"wound down ${params.WHO}\"
        }
    }
}
";

#[test]
fn a_cancelled_build_winding_down_is_not_interrupted_again() {
    let job = Job::new(SLOW_TO_WIND_DOWN);
    let first = job.start("first");
    job.wait_for_first_sh();
    let second = job.start("second");
    let (second_log, second_code) = finish(second);
    assert_eq!(second_code, 0, "{second_log}");
    // Build #2 has ended, cancelling its older builds once more, while #1's post still sleeps.
    let (first_log, first_code) = finish(first);
    assert!(first_log.contains("Superseded by demo#2\n"), "{first_log}");
    assert!(first_log.contains("wound down first"), "{first_log}");
    assert!(!first_log.contains("Aborted by user"), "{first_log}");
    assert!(first_log.ends_with("Finished: NOT_BUILT\n"), "{first_log}");
    assert_eq!(first_code, 5, "{first_log}");
}
