//! `checkout scm` and `git` against real repositories made in temporary directories: a bare
//! origin and its clone, uncommitted, untracked and ignored files, branches and tags, a
//! second build, the user's repository left byte-for-byte as it was, and `git url:` against
//! `git daemon` on 127.0.0.1.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::scm_golden::{git_fixed, run_in};
use crate::support::tree;

/// A bare `origin`, and a clone of it with `main` (two commits, tag `v2`) and `feature`
/// (one more commit), `feature` checked out. Returns (origin, clone).
pub(crate) fn origin_and_clone(root: &Path) -> (PathBuf, PathBuf) {
    let origin = root.join("origin.git");
    let work = root.join("work");
    std::fs::create_dir_all(&origin).unwrap();
    git_fixed(
        &origin,
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    git_fixed(
        root,
        &["clone", "--quiet", origin.to_str().unwrap(), "work"],
    );
    git_fixed(&work, &["config", "user.name", "Dev Eloper"]);
    git_fixed(&work, &["config", "user.email", "dev@example.com"]);
    std::fs::write(work.join("README.md"), "v1\n").unwrap();
    std::fs::write(work.join("gone.txt"), "to be deleted\n").unwrap();
    std::fs::write(work.join(".gitignore"), "*.log\n").unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  def v = checkout scm\n  writeJSON file: 'vars.json', json: v\n  sh 'git rev-parse HEAD > head.txt; git describe --tags > describe.txt; git branch -a > branches.txt'\n}\n",
    )
    .unwrap();
    git_fixed(&work, &["add", "-A"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "one"]);
    std::fs::write(work.join("README.md"), "v2\n").unwrap();
    git_fixed(&work, &["commit", "--quiet", "-am", "two"]);
    git_fixed(&work, &["tag", "v2"]);
    git_fixed(&work, &["push", "--quiet", "origin", "main", "v2"]);
    git_fixed(&work, &["checkout", "--quiet", "-b", "feature"]);
    std::fs::write(work.join("feature.txt"), "feature\n").unwrap();
    git_fixed(&work, &["add", "feature.txt"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "feature work"]);
    git_fixed(&work, &["push", "--quiet", "origin", "feature"]);
    (origin, work)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn checkout_scm_builds_the_working_copy_of_a_clone() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    // Uncommitted work: a modified tracked file, a staged new file, a deleted file, an
    // untracked file, an ignored one, and the runner's own directory.
    std::fs::write(work.join("README.md"), "v2\nwork in progress\n").unwrap();
    std::fs::write(work.join("staged.txt"), "staged\n").unwrap();
    git_fixed(&work, &["add", "staged.txt"]);
    std::fs::remove_file(work.join("gone.txt")).unwrap();
    std::fs::create_dir_all(work.join("src")).unwrap();
    std::fs::write(work.join("src/new.rs"), "fn main() {}\n").unwrap();
    std::fs::write(work.join("debug.log"), "ignored\n").unwrap();
    std::fs::create_dir_all(work.join(".jenkinsfile")).unwrap();
    std::fs::write(work.join(".jenkinsfile/state"), "private\n").unwrap();
    let head = git_fixed(&work, &["rev-parse", "HEAD"]);
    let before = tree(&work);

    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(tree(&work), before, "the user's repository changed");

    let ws = home.join("jobs/demo/workspace");
    let vars: Value = serde_json::from_str(&read(&ws.join("vars.json"))).unwrap();
    assert_eq!(vars["GIT_COMMIT"], head.as_str());
    assert_eq!(vars["GIT_BRANCH"], "feature");
    assert_eq!(vars["GIT_LOCAL_BRANCH"], "feature");
    assert_eq!(vars["GIT_URL"], origin.to_str().unwrap());
    assert_eq!(vars["GIT_AUTHOR_NAME"], "Dev Eloper");
    assert_eq!(vars["GIT_COMMITTER_EMAIL"], "dev@example.com");
    assert!(vars.get("GIT_PREVIOUS_COMMIT").is_none(), "{vars}");
    assert_eq!(read(&ws.join("head.txt")).trim(), head);
    assert_eq!(
        read(&ws.join("describe.txt")).trim(),
        "v2-1-g".to_owned() + &head[..7]
    );
    let branches = read(&ws.join("branches.txt"));
    assert!(branches.contains("remotes/origin/main"), "{branches}");
    assert!(branches.contains("remotes/origin/feature"), "{branches}");
    assert_eq!(read(&ws.join("README.md")), "v2\nwork in progress\n");
    assert_eq!(read(&ws.join("staged.txt")), "staged\n");
    assert_eq!(read(&ws.join("src/new.rs")), "fn main() {}\n");
    assert_eq!(read(&ws.join("feature.txt")), "feature\n");
    assert!(!ws.join("gone.txt").exists());
    assert!(!ws.join("debug.log").exists());
    assert!(!ws.join(".jenkinsfile").exists());
    // Copies, never hard links: the build cannot write into the user's files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let a = std::fs::metadata(ws.join("README.md")).unwrap();
        let b = std::fs::metadata(work.join("README.md")).unwrap();
        assert_ne!((a.dev(), a.ino()), (b.dev(), b.ino()));
    }
    let record: Value =
        serde_json::from_str(&read(&home.join("jobs/demo/builds/1/build.json"))).unwrap();
    assert_eq!(record["git_commit"], head.as_str());

    // A second build updates the same workspace and knows the previous commit.
    std::fs::write(work.join("src/new.rs"), "fn main() { changed() }\n").unwrap();
    let (text, code) = run_in(&work, &home, &["--scm".into(), "head".into()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Fetching changes from the remote Git repository"),
        "{text}"
    );
    let vars: Value = serde_json::from_str(&read(&ws.join("vars.json"))).unwrap();
    assert_eq!(vars["GIT_PREVIOUS_COMMIT"], head.as_str());
    assert_eq!(vars["GIT_PREVIOUS_SUCCESSFUL_COMMIT"], head.as_str());
    // --scm head: the committed README, not the working copy's.
    assert_eq!(read(&ws.join("README.md")), "v2\n");
}

#[test]
fn a_destructive_build_leaves_the_users_repository_byte_identical() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(work.join("README.md"), "v2\nlocal edit\n").unwrap();
    std::fs::write(work.join("untracked.txt"), "mine\n").unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'echo x >> README.md; echo y >> untracked.txt'\n  writeFile file: 'README.md', text: 'overwritten'\n  writeFile file: 'feature.txt', text: 'overwritten'\n  sh 'git rev-parse HEAD'\n  deleteDir()\n  checkout scm\n  cleanWs()\n  checkout scm\n  sh 'git gc --quiet; echo z >> README.md'\n}\n",
    )
    .unwrap();
    let head = git_fixed(&work, &["rev-parse", "HEAD"]);
    let before = tree(&work);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert!(
        text.contains(&format!("+ git rev-parse HEAD\n{head}\n")),
        "{text}"
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(tree(&work), before, "the user's repository changed");
}

/// `git daemon` serving a directory on a free loopback port; killed on drop.
pub(crate) struct Daemon {
    child: Child,
    pub port: u16,
}

impl Daemon {
    pub(crate) fn start(base: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("git")
            .args([
                "daemon",
                "--export-all",
                "--reuseaddr",
                "--listen=127.0.0.1",
            ])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let daemon = Self { child, port };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return daemon;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("git daemon did not start on port {port}");
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn git_step_clones_from_git_daemon_and_checkout_gitscm_from_a_file_url() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    let feature = git_fixed(&work, &["rev-parse", "feature"]);
    let main = git_fixed(&work, &["rev-parse", "main"]);
    let daemon = Daemon::start(root.path());
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  dir('a') {{\n    def v = git url: 'git://127.0.0.1:{port}/origin.git', branch: 'feature'\n    echo \"commit=${{v.GIT_COMMIT}} branch=${{v.GIT_BRANCH}} local=${{v.GIT_LOCAL_BRANCH}}\"\n    sh 'git rev-parse --abbrev-ref HEAD; cat feature.txt'\n  }}\n  dir('a') {{\n    git url: 'git://127.0.0.1:{port}/origin.git', branch: 'main'\n    sh 'git rev-parse HEAD'\n  }}\n  dir('b') {{\n    def v = checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[url: 'file://{origin}']]])\n    echo \"gitscm=${{v.GIT_COMMIT}} branch=${{v.GIT_BRANCH}} local=${{v.GIT_LOCAL_BRANCH}}\"\n  }}\n  dir('c') {{\n    try {{\n      git url: 'file://{origin}', branch: 'nope'\n    }} catch (e) {{\n      echo \"caught: ${{e.message}}\"\n    }}\n    try {{\n      git url: 'file://{origin}', credentialsId: 'deploy-key'\n    }} catch (e) {{\n      echo \"caught: ${{e.message}}\"\n    }}\n  }}\n}}\n",
            port = daemon.port,
            origin = origin.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    drop(daemon);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "commit={feature} branch=origin/feature local=feature"
        )),
        "{text}"
    );
    assert!(
        text.contains("+ git rev-parse --abbrev-ref HEAD\nfeature\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("+ git rev-parse HEAD\n{main}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Checking out Revision {feature} (refs/remotes/origin/feature)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("gitscm={main} branch=origin/main local=null")),
        "{text}"
    );
    assert!(
        text.contains("caught: Couldn't find any revision to build. Verify the repository and branch configuration for this job."),
        "{text}"
    );
    // No store entry: the git plugin warns and fetches without credentials.
    assert!(
        text.contains("Warning: CredentialId \"deploy-key\" could not be found."),
        "{text}"
    );
}

#[test]
fn in_place_checkout_leaves_the_repository_and_returns_its_commit() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(work.join("README.md"), "edited\n").unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  def v = checkout scm\n  echo \"commit=${v.GIT_COMMIT}\"\n}\n",
    )
    .unwrap();
    let head = git_fixed(&work, &["rev-parse", "HEAD"]);
    let before = tree(&work);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &["--in-place".into()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("itself as the workspace (--in-place): nothing to check out"),
        "{text}"
    );
    assert!(text.contains(&format!("commit={head}")), "{text}");
    assert_eq!(tree(&work), before);
}

/// Which of builds 1..=`last` of job `demo` still hold a stash.
fn builds_with_stashes(home: &Path, last: u64) -> Vec<u64> {
    (1..=last)
        .filter(|n| {
            home.join(format!("jobs/demo/builds/{n}/stashes/s/f.txt"))
                .is_file()
        })
        .collect()
}

#[test]
fn preserve_stashes_keeps_the_last_builds_stashes() {
    let scripted = "properties([preserveStashes(buildCount: 2)])\nnode {\n  writeFile file: 'f.txt', text: 'x'\n  stash name: 's', includes: 'f.txt'\n}\n";
    let declarative = "pipeline {\n  agent any\n  options { preserveStashes(buildCount: 2); skipDefaultCheckout() }\n  stages {\n    stage('s') {\n      steps {\n        writeFile file: 'f.txt', text: 'x'\n        stash name: 's', includes: 'f.txt'\n      }\n    }\n  }\n}\n";
    let plain =
        "node {\n  writeFile file: 'f.txt', text: 'x'\n  stash name: 's', includes: 'f.txt'\n}\n";
    for text in [scripted, declarative] {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        std::fs::write(root.path().join("Jenkinsfile"), text).unwrap();
        let mut kept = Vec::new();
        for last in 1..=3 {
            let (out, code) = run_in(root.path(), &home, &[]);
            assert_eq!(code, 0, "{out}");
            kept.push(builds_with_stashes(&home, last));
        }
        assert_eq!(kept, vec![vec![1], vec![1, 2], vec![2, 3]], "{text}");
        // Without the option, a build's stashes end with it; older preserved ones stay.
        std::fs::write(root.path().join("Jenkinsfile"), plain).unwrap();
        let (out, code) = run_in(root.path(), &home, &[]);
        assert_eq!(code, 0, "{out}");
        assert_eq!(builds_with_stashes(&home, 4), vec![2, 3]);
    }
}

/// A run started from a git hook inherits `GIT_DIR` (and `GIT_INDEX_FILE`) pointing at the
/// user's repository: the workspace checkout and `sh 'git …'` must still act on the
/// workspace, never detach or rewrite the user's HEAD and index.
#[test]
fn git_dir_from_a_hook_does_not_redirect_the_checkout() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    let home = root.path().join("home");
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'git checkout --quiet --detach HEAD~1; git rev-parse --git-dir > gitdir.txt'\n}\n",
    )
    .unwrap();
    let before = tree(&work);
    let output = Command::new(crate::scm_golden::BIN)
        .arg("run")
        .arg(work.join("Jenkinsfile"))
        .args(["--job", "demo", "--home"])
        .arg(&home)
        .env("GIT_DIR", work.join(".git"))
        .env("GIT_INDEX_FILE", work.join(".git/index"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        git_fixed(&work, &["symbolic-ref", "HEAD"]),
        "refs/heads/feature"
    );
    assert_eq!(tree(&work), before);
    assert_eq!(
        read(&home.join("jobs/demo/workspace/gitdir.txt")).trim(),
        ".git"
    );
}

/// Commits `files` in `work` with `message` and pushes `main`.
pub(crate) fn commit_and_push(work: &Path, files: &[(&str, &str)], message: &str) -> String {
    for (name, text) in files {
        std::fs::write(work.join(name), text).unwrap();
    }
    git_fixed(work, &["add", "-A"]);
    git_fixed(work, &["commit", "--quiet", "-m", message]);
    git_fixed(work, &["push", "--quiet", "origin", "HEAD:main"]);
    git_fixed(work, &["rev-parse", "HEAD"])
}

/// The lines the change-set pipeline echoes.
fn echoed(text: &str) -> String {
    text.lines()
        .filter(|l| {
            ["prev=", "sets=", "kind=", "change "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .flat_map(|l| [l, "\n"])
        .collect()
}

#[test]
fn change_sets_and_previous_commits_of_the_git_step_across_builds() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let first = git_fixed(&work, &["rev-parse", "main"]);
    let pipeline = root.path().join("pipeline");
    let marker = root.path().join("fail-this-build");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  def v = git url: 'file://{}', branch: 'main'\n  echo \"prev=${{v.GIT_PREVIOUS_COMMIT}} ok=${{v.GIT_PREVIOUS_SUCCESSFUL_COMMIT}}\"\n  echo \"sets=${{currentBuild.changeSets.size()}}\"\n  for (cs in currentBuild.changeSets) {{\n    echo \"kind=${{cs.kind}} items=${{cs.items.size()}}\"\n    for (e in cs.items) {{\n      echo \"change ${{e.commitId}} by ${{e.author.fullName}}: ${{e.msg}} at ${{e.timestamp}} paths=${{e.affectedPaths}} files=${{e.affectedFiles.collect {{ it.editType.name + ' ' + it.path }}}}\"\n    }}\n  }}\n  if (fileExists('{}')) {{ error 'failing on purpose' }}\n}}\n",
            origin.display(),
            marker.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("First time build. Skipping changelog."),
        "{text}"
    );
    assert!(text.contains("prev=null ok=null\n"), "{text}");
    assert!(text.contains("sets=0\n"), "{text}");

    let second = commit_and_push(
        &work,
        &[("a.txt", "a\n"), ("README.md", "v3\n")],
        "add a\n\nwith a body",
    );
    let third = commit_and_push(&work, &[("b.txt", "b\n")], "add b");
    std::fs::remove_file(work.join("b.txt")).unwrap();
    let fourth = commit_and_push(&work, &[], "drop b");
    let time = |commit: &str| {
        let seconds: i64 = git_fixed(&work, &["log", "-1", "--format=%ct", commit])
            .parse()
            .unwrap();
        seconds * 1000
    };
    std::fs::write(&marker, "").unwrap();
    let (text, code) = run_in(&pipeline, &home, &[]);
    std::fs::remove_file(&marker).unwrap();
    assert_eq!(code, 1, "{text}");
    let expected = format!(
        "prev={first} ok={first}\nsets=1\nkind=git items=3\n\
         change {second} by Dev Eloper: add a at {} paths=[README.md, a.txt] files=[edit README.md, add a.txt]\n\
         change {third} by Dev Eloper: add b at {} paths=[b.txt] files=[add b.txt]\n\
         change {fourth} by Dev Eloper: drop b at {} paths=[b.txt] files=[delete b.txt]\n",
        time(&second),
        time(&third),
        time(&fourth)
    );
    assert_eq!(echoed(&text), expected, "{text}");

    // The failed build is the previous one, not the previous successful one.
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        echoed(&text),
        // Nothing new: Jenkins has no empty change-log set.
        format!("prev={fourth} ok={first}\nsets=0\n"),
        "{text}"
    );
}

#[test]
fn checkout_gitscm_with_submodule_option_fetches_the_submodules() {
    let root = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(root.path());
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let lib = root.path().join("lib.git");
    std::fs::create_dir_all(&lib).unwrap();
    git_fixed(
        &lib,
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    let lib_work = root.path().join("lib-work");
    git_fixed(
        root.path(),
        &["clone", "--quiet", lib.to_str().unwrap(), "lib-work"],
    );
    git_fixed(&lib_work, &["config", "user.name", "Dev Eloper"]);
    git_fixed(&lib_work, &["config", "user.email", "dev@example.com"]);
    commit_and_push(&lib_work, &[("lib.txt", "from the submodule\n")], "lib");
    let url = format!("git://127.0.0.1:{}/lib.git", daemon.port);
    git_fixed(&work, &["submodule", "--quiet", "add", &url, "lib"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "add lib"]);
    git_fixed(&work, &["push", "--quiet", "origin", "main"]);
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  dir('with') {{\n    checkout([$class: 'GitSCM', branches: [[name: '*/main']], extensions: [[$class: 'SubmoduleOption', disableSubmodules: false, parentCredentials: false, recursiveSubmodules: true, reference: '', trackingSubmodules: false]], userRemoteConfigs: [[url: 'file://{origin}']]])\n    sh 'cat lib/lib.txt'\n  }}\n  dir('without') {{\n    checkout([$class: 'GitSCM', branches: [[name: '*/main']], extensions: [[$class: 'SubmoduleOption', disableSubmodules: true]], userRemoteConfigs: [[url: 'file://{origin}']]])\n    sh 'test -z \"$(ls -A lib)\" && echo empty'\n  }}\n  dir('tracking') {{\n    try {{\n      checkout([$class: 'GitSCM', branches: [[name: '*/main']], extensions: [[$class: 'SubmoduleOption', trackingSubmodules: true]], userRemoteConfigs: [[url: 'file://{origin}']]])\n    }} catch (e) {{\n      echo \"caught: ${{e.message}}\"\n    }}\n  }}\n}}\n",
            origin = origin.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    drop(daemon);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(" > git submodule update --init --recursive"),
        "{text}"
    );
    assert!(
        text.contains("+ cat lib/lib.txt\nfrom the submodule\n"),
        "{text}"
    );
    assert!(text.contains("\nempty\n"), "{text}");
    assert!(
        text.contains("caught: unsupported: SubmoduleOption's `trackingSubmodules`"),
        "{text}"
    );
}

#[test]
fn zip_and_touch_refuse_a_dangling_link_out_of_the_workspace() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  writeFile file: 'src/a.txt', text: 'a'\n  sh 'ln -s {o}/out.zip out.zip; ln -s {o}/touched touched'\n  try {{\n    zip zipFile: 'out.zip', dir: 'src'\n  }} catch (e) {{\n    echo \"zip: ${{e.message}}\"\n  }}\n  try {{\n    touch file: 'touched'\n  }} catch (e) {{\n    echo \"touch: ${{e.message}}\"\n  }}\n}}\n",
            o = outside.display()
        ),
    )
    .unwrap();
    let (text, code) = run_in(&pipeline, &root.path().join("home"), &[]);
    assert!(!outside.join("out.zip").exists(), "{text}");
    assert!(!outside.join("touched").exists(), "{text}");
    assert!(
        text.contains("zip: zip: refusing to write to out.zip"),
        "{text}"
    );
    assert!(
        text.contains("touch: touch: refusing to write to touched"),
        "{text}"
    );
    assert_eq!(code, 0, "{text}");
}

#[test]
fn checkout_scm_when_a_tracked_file_became_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::remove_file(work.join("gone.txt")).unwrap();
    std::fs::create_dir_all(work.join("gone.txt")).unwrap();
    std::fs::write(work.join("gone.txt/inside.txt"), "now a directory\n").unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert_eq!(read(&ws.join("gone.txt/inside.txt")), "now a directory\n");
}
