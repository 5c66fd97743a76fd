//! The build home: job names, build numbers under concurrency, workspaces, build records and
//! the standard variables.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use indexmap::IndexMap;
use jenkinsfile::home::{BuildRecord, GitInfo, Job, StandardVars, job_name_for};

use crate::support::git;

#[test]
fn concurrent_runs_never_share_a_build_number() {
    let home = tempfile::tempdir().unwrap();
    let threads = 16;
    let per_thread = 5;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let home = home.path().to_path_buf();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                // Each thread opens its own job handle and lock file, as separate runs do.
                let job = Job::new(&home, "demo").unwrap();
                barrier.wait();
                (0..per_thread)
                    .map(|_| job.next_build().unwrap().number)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for handle in handles {
        all.extend(handle.join().unwrap());
    }
    let unique: BTreeSet<u64> = all.iter().copied().collect();
    assert_eq!(unique.len(), threads * per_thread, "duplicates in {all:?}");
    assert_eq!(unique, (1..=(threads * per_thread) as u64).collect());
    let next = std::fs::read_to_string(home.path().join("jobs/demo/nextBuildNumber")).unwrap();
    assert_eq!(next.trim(), (threads * per_thread + 1).to_string());
}

#[test]
fn a_build_directory_left_behind_is_skipped() {
    let home = tempfile::tempdir().unwrap();
    let job = Job::new(home.path(), "team/demo").unwrap();
    assert_eq!(job.dir, home.path().join("jobs/team/jobs/demo"));
    assert_eq!(job.base_name(), "demo");
    std::fs::create_dir_all(job.builds_dir().join("1")).unwrap();
    let build = job.next_build().unwrap();
    assert_eq!(build.number, 2);
    assert!(Job::new(home.path(), "../escape").is_err());
    assert!(Job::new(home.path(), "a//b").is_err());
}

#[test]
fn concurrent_builds_get_their_own_workspace() {
    let home = tempfile::tempdir().unwrap();
    let job = Job::new(home.path(), "demo").unwrap();
    let first = job.lease_workspace().unwrap();
    let second = job.lease_workspace().unwrap();
    assert_eq!(first.path, job.dir.join("workspace"));
    assert_eq!(second.path, job.dir.join("workspace@2"));
    drop(first);
    // Other tests of this binary spawn processes: a child forked in the instant before its exec
    // holds a copy of every descriptor, our lock among them, until the exec closes it. So the
    // freed workspace may take a moment to come back; it must come back.
    let mut again = job.lease_workspace().unwrap();
    for _ in 0..50 {
        if again.path == job.dir.join("workspace") {
            break;
        }
        drop(again);
        std::thread::sleep(std::time::Duration::from_millis(20));
        again = job.lease_workspace().unwrap();
    }
    assert_eq!(again.path, job.dir.join("workspace"));
}

#[test]
fn previous_build_is_the_latest_earlier_record() {
    let home = tempfile::tempdir().unwrap();
    let job = Job::new(home.path(), "demo").unwrap();
    for result in ["FAILURE", "SUCCESS"] {
        let build = job.next_build().unwrap();
        let record = BuildRecord {
            job: "demo".into(),
            number: build.number,
            result: result.into(),
            ..BuildRecord::default()
        };
        record.write(&build.record_path()).unwrap();
    }
    let third = job.next_build().unwrap();
    assert_eq!(third.number, 3);
    let previous = job.previous_build(3).unwrap();
    assert_eq!((previous.number, previous.result.as_str()), (2, "SUCCESS"));
    assert_eq!(job.previous_build(2).unwrap().result, "FAILURE");
    assert!(job.previous_build(1).is_none());
}

#[test]
fn job_name_is_the_repository_root_else_the_jenkinsfile_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("my-service");
    std::fs::create_dir_all(repo.join("ci")).unwrap();
    std::fs::write(repo.join("ci/Jenkinsfile"), "node {}\n").unwrap();
    let plain = job_name_for(&repo.join("ci/Jenkinsfile"), None);
    assert_eq!(plain, "ci");
    git(&repo, &["init", "-q", "-b", "feature/x"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "init"]);
    let info = GitInfo::discover(&repo.join("ci")).unwrap();
    assert_eq!(info.branch.as_deref(), Some("feature/x"));
    assert_eq!(info.commit.as_deref().map(str::len), Some(40));
    assert_eq!(
        job_name_for(&repo.join("ci/Jenkinsfile"), Some(&info)),
        "my-service"
    );
}

#[test]
fn standard_variables() {
    let home = tempfile::tempdir().unwrap();
    let job = Job::new(home.path(), "team/demo").unwrap();
    let build = job.next_build().unwrap();
    let workspace = job.dir.join("workspace");
    let mut params = IndexMap::new();
    params.insert("TARGET".to_owned(), "prod".to_owned());
    let vars = StandardVars::new(&job, &build, &workspace, Some("main"), &params);
    let h = home.path().display();
    let expected_build = [
        ("BUILD_NUMBER", "1".to_owned()),
        ("BUILD_ID", "1".to_owned()),
        ("BUILD_DISPLAY_NAME", "#1".to_owned()),
        ("BUILD_TAG", "jenkins-team-demo-1".to_owned()),
        (
            "BUILD_URL",
            format!("file://{h}/jobs/team/jobs/demo/builds/1/"),
        ),
        ("JOB_NAME", "team/demo".to_owned()),
        ("JOB_BASE_NAME", "demo".to_owned()),
        ("JOB_URL", format!("file://{h}/jobs/team/jobs/demo/")),
        ("JENKINS_URL", format!("file://{h}/")),
        ("JENKINS_HOME", h.to_string()),
        ("CI", "true".to_owned()),
        ("CLASSPATH", String::new()),
        ("BRANCH_NAME", "main".to_owned()),
        ("TARGET", "prod".to_owned()),
    ];
    let got: Vec<(&str, String)> = vars
        .build
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    assert_eq!(got, expected_build);
    let ws = workspace.display();
    assert_eq!(vars.node["NODE_NAME"], "built-in");
    assert_eq!(vars.node["NODE_LABELS"], "built-in");
    assert_eq!(vars.node["EXECUTOR_NUMBER"], "0");
    assert_eq!(vars.node["WORKSPACE"], ws.to_string());
    assert_eq!(vars.node["WORKSPACE_TMP"], format!("{ws}@tmp"));
    assert_eq!(vars.node["JENKINS_NODE_COOKIE"].len(), 36);
}
