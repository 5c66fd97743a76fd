//! The review of issue 7's SCM and artifact steps: the git plugin's console lines (a golden
//! log written by hand from runtime-semantics.md §9 and the plugin's clone order), branch
//! specs and wildcards, a stale workspace after `--scm head`, a password in a remote's URL,
//! archiving through links, a git that hangs on its remote, and `currentBuild.changeSets` as
//! objects.

use std::fmt::Write as _;
use std::io::Read as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::scm::{commit_and_push, origin_and_clone};
use crate::scm_auth::{HttpGit, PASSWORD, files};
use crate::scm_golden::{BIN, git_fixed, run_in};
use crate::support::tree;

/// The console lines of each `[Pipeline] <step>` block named `step`, in order.
fn step_blocks(text: &str, step: &str) -> Vec<String> {
    let marker = format!("[Pipeline] {step}\n");
    text.split(&marker)
        .skip(1)
        .map(|rest| rest.split("[Pipeline]").next().unwrap_or("").to_owned())
        .collect()
}

fn git_version() -> String {
    let out = Command::new("git").arg("--version").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn git_step_and_gitscm_print_the_git_plugins_lines_in_its_order() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let first = git_fixed(&work, &["rev-parse", "main"]);
    let url = format!("file://{}", origin.display());
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  dir('a') {{ git url: '{url}', branch: 'main' }}\n  dir('b') {{ checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[url: '{url}']]]) }}\n}}\n"
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    let version = git_version();
    let a = ws.join("a").display().to_string();
    let b = ws.join("b").display().to_string();
    let clone = |dir: &str, commit: &str, message: &str, local: bool| {
        let branch_lines = if local {
            format!(
                " > git branch -a -v --no-abbrev # timeout=10\n > git checkout -b main {commit} # timeout=10\n"
            )
        } else {
            String::new()
        };
        format!(
            "The recommended git tool is: NONE\n\
             No credentials specified\n\
             Cloning the remote Git repository\n\
             Cloning repository {url}\n \
             > git init {dir} # timeout=10\n\
             Fetching upstream changes from {url}\n \
             > git --version # timeout=10\n \
             > git --version # '{version}'\n \
             > git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/* # timeout=10\n \
             > git config remote.origin.url {url} # timeout=10\n \
             > git config --add remote.origin.fetch +refs/heads/*:refs/remotes/origin/* # timeout=10\n\
             Avoid second fetch\n \
             > git rev-parse refs/remotes/origin/main^{{commit}} # timeout=10\n\
             Checking out Revision {commit} (refs/remotes/origin/main)\n \
             > git config core.sparsecheckout # timeout=10\n \
             > git checkout -f {commit} # timeout=10\n\
             {branch_lines}\
             Commit message: \"{message}\"\n\
             First time build. Skipping changelog.\n"
        )
    };
    assert_eq!(
        step_blocks(&text, "git"),
        vec![clone(&a, &first, "two", true)],
        "{text}"
    );
    assert_eq!(
        step_blocks(&text, "checkout"),
        vec![clone(&b, &first, "two", false)],
        "{text}"
    );

    // The second build fetches into the same checkouts: §9's order, then the changelog.
    let second = commit_and_push(&work, &[("c.txt", "c\n")], "three");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let fetch = |dir: &str, local: bool| {
        let branch_lines = if local {
            format!(
                " > git branch -a -v --no-abbrev # timeout=10\n > git branch -D main # timeout=10\n > git checkout -b main {second} # timeout=10\n"
            )
        } else {
            String::new()
        };
        format!(
            "The recommended git tool is: NONE\n\
             No credentials specified\n \
             > git rev-parse --resolve-git-dir {dir}/.git # timeout=10\n\
             Fetching changes from the remote Git repository\n \
             > git config remote.origin.url {url} # timeout=10\n\
             Fetching upstream changes from {url}\n \
             > git --version # timeout=10\n \
             > git --version # '{version}'\n \
             > git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/* # timeout=10\n \
             > git rev-parse refs/remotes/origin/main^{{commit}} # timeout=10\n\
             Checking out Revision {second} (refs/remotes/origin/main)\n \
             > git config core.sparsecheckout # timeout=10\n \
             > git checkout -f {second} # timeout=10\n\
             {branch_lines}\
             Commit message: \"three\"\n \
             > git rev-list --no-walk {first} # timeout=10\n"
        )
    };
    assert_eq!(step_blocks(&text, "git"), vec![fetch(&a, true)], "{text}");
    assert_eq!(
        step_blocks(&text, "checkout"),
        vec![fetch(&b, false)],
        "{text}"
    );
}

/// `git` with a fixed identity at a given date.
fn git_at(dir: &Path, date: &str, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

#[test]
fn branch_specs_qualified_short_wildcard_and_none() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    // release-2 is older than release-1: the plugin builds the oldest unbuilt tip first.
    for (branch, date) in [
        ("release-2", "2026-01-02T00:00:00Z"),
        ("release-1", "2026-01-03T00:00:00Z"),
    ] {
        git_fixed(&work, &["checkout", "--quiet", "-B", branch, "main"]);
        std::fs::write(work.join(format!("{branch}.txt")), branch).unwrap();
        git_at(&work, date, &["add", "-A"]);
        git_at(&work, date, &["commit", "--quiet", "-m", branch]);
        git_fixed(&work, &["push", "--quiet", "origin", branch]);
    }
    let rev = |name: &str| git_fixed(&work, &["rev-parse", name]);
    let (main, r1, r2) = (rev("main"), rev("release-1"), rev("release-2"));
    let url = format!("file://{}", origin.display());
    let specs = [
        "*/main",
        "origin/main",
        "refs/heads/main",
        "main",
        "refs/tags/v2",
        "*/release-*",
    ];
    let mut script = String::from("node {\n");
    for (i, spec) in specs.iter().enumerate() {
        write!(
            script,
            "  dir('d{i}') {{\n    def v = checkout([$class: 'GitSCM', branches: [[name: '{spec}']], userRemoteConfigs: [[url: '{url}']]])\n    echo \"spec {spec} -> ${{v.GIT_COMMIT}} ${{v.GIT_BRANCH}}\"\n  }}\n"
        )
        .unwrap();
    }
    write!(
        script,
        "  dir('none') {{\n    try {{\n      checkout([$class: 'GitSCM', branches: [[name: '*/hotfix-*']], userRemoteConfigs: [[url: '{url}']]])\n    }} catch (e) {{\n      echo \"caught: ${{e.message}}\"\n    }}\n  }}\n}}\n"
    )
    .unwrap();
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(pipeline.join("Jenkinsfile"), script).unwrap();
    let home = root.path().join("home");
    let echoed = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("spec ") || l.starts_with("caught: "))
            .map(str::to_owned)
            .collect()
    };
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let v2 = rev("v2");
    assert_eq!(
        echoed(&text),
        vec![
            format!("spec */main -> {main} origin/main"),
            format!("spec origin/main -> {main} origin/main"),
            format!("spec refs/heads/main -> {main} origin/main"),
            format!("spec main -> {main} origin/main"),
            format!("spec refs/tags/v2 -> {v2} refs/tags/v2"),
            format!("spec */release-* -> {r2} origin/release-2"),
            "caught: Couldn't find any revision to build. Verify the repository and branch configuration for this job.".to_owned(),
        ],
        "{text}"
    );
    assert!(
        text.contains(
            " > git branch -a -v --no-abbrev # timeout=10\nMultiple candidate revisions\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("Checking out Revision {r2} (origin/release-2)")),
        "{text}"
    );
    // The next build builds the match not built yet; then, nothing new, the last one again.
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("spec */release-* -> {r1} origin/release-1\n")),
        "{text}"
    );
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("spec */release-* -> {r1} origin/release-1\n")),
        "{text}"
    );
}

#[test]
fn a_later_head_checkout_drops_what_the_earlier_overlay_brought() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(work.join("extra.txt"), "untracked work\n").unwrap();
    std::fs::create_dir_all(work.join("sub")).unwrap();
    std::fs::write(work.join("sub/new.txt"), "untracked in a directory\n").unwrap();
    std::fs::write(work.join("README.md"), "modified\n").unwrap();
    // The build replaces an overlaid directory with a link into the user's repository: the
    // next checkout must not remove the user's file through it.
    std::fs::write(
        work.join("Jenkinsfile"),
        format!(
            "node {{\n  checkout scm\n  sh 'echo built > output.bin; rm -rf sub; ln -s {}/sub sub; ls extra.txt'\n}}\n",
            work.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert!(ws.join("extra.txt").is_file());

    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'ls -A'\n}\n",
    )
    .unwrap();
    let before_second = tree(&work);
    let (text, code) = run_in(&work, &home, &["--scm".into(), "head".into()]);
    assert_eq!(code, 0, "{text}");
    assert!(!ws.join("extra.txt").exists(), "{text}");
    assert_eq!(
        std::fs::read_to_string(ws.join("README.md")).unwrap(),
        "v2\n"
    );
    // A build output is not the overlay's: kept, as Jenkins keeps it.
    assert!(ws.join("output.bin").is_file(), "{text}");
    assert_eq!(tree(&work), before_second, "the user's repository changed");
    assert_eq!(
        std::fs::read_to_string(work.join("sub/new.txt")).unwrap(),
        "untracked in a directory\n"
    );

    // Back to the working copy: the untracked files come back.
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(ws.join("extra.txt").is_file(), "{text}");
}

#[test]
fn a_password_in_the_remote_url_is_masked_everywhere_it_would_show() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    let main = git_fixed(&work, &["rev-parse", "main"]);
    let server = HttpGit::start(root.path());
    let url = format!(
        "http://alice:{PASSWORD}@127.0.0.1:{}/origin.git",
        server.port
    );
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  def v = git url: '{url}', branch: 'main'\n  echo \"url=${{v.GIT_URL}} commit=${{v.GIT_COMMIT}}\"\n  currentBuild.description = v.GIT_URL\n}}\n"
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    drop(server);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(&format!("commit={main}")), "{text}");
    let masked = "http://alice:****@127.0.0.1:";
    assert!(
        text.contains(&format!("Cloning repository {masked}")),
        "{text}"
    );
    assert!(text.contains(&format!("url={masked}")), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
    let mut recorded = Vec::new();
    files(&home.join("jobs/demo/builds"), &mut recorded);
    assert!(
        recorded.iter().any(|p| p.ends_with("git-revisions.json")),
        "{recorded:?}"
    );
    for path in recorded.iter().filter(|p| p.is_file()) {
        let content = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        assert!(
            !content.contains(PASSWORD),
            "{} holds the password:\n{content}",
            path.display()
        );
    }
    let record = std::fs::read_to_string(home.join("jobs/demo/builds/1/build.json")).unwrap();
    assert!(record.contains(masked), "{record}");
}

#[test]
fn archive_artifacts_follows_links_inside_the_workspace_only() {
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "not an artifact\n").unwrap();
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  writeFile file: 'build/out/app.jar', text: 'jar'\n  sh 'ln -s build/out dist; ln -s {} escape; ln -s ../.. build/out/loop'\n  archiveArtifacts artifacts: 'dist/**, escape/**'\n  dir('second') {{\n    writeFile file: 'marker', text: ''\n    sh 'ln -s ../build/out dist'\n    archiveArtifacts artifacts: 'dist/*.jar', followSymlinks: false, allowEmptyArchive: true\n  }}\n}}\n",
            outside.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let archive = home.join("jobs/demo/builds/1/archive");
    let archived: Vec<PathBuf> = tree(&archive).into_keys().collect();
    assert_eq!(archived, vec![PathBuf::from("dist/app.jar")], "{text}");
    assert!(
        text.contains("No artifacts found that match the file pattern \"dist/*.jar\""),
        "{text}"
    );
}

/// Processes whose command line mentions `needle`, other than this test's own.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let Ok(mut file) = std::fs::File::open(entry.path().join("cmdline")) else {
            continue;
        };
        let mut bytes = Vec::new();
        if file.read_to_end(&mut bytes).is_err() {
            continue;
        }
        let line = String::from_utf8_lossy(&bytes).replace('\0', " ");
        if line.contains(needle) {
            found.push(format!("{pid}: {line}"));
        }
    }
    found
}

/// The processes still mentioning `needle` after up to 10 s: a `SIGKILL`ed process can linger
/// in /proc for a moment on a loaded machine before the kernel has torn it down.
fn processes_left_mentioning(needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = processes_mentioning(needle);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_git_that_hangs_on_its_remote_is_killed_with_its_process_group() {
    // A "remote" that accepts and never answers: git waits for its first reply forever.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().take(2) {
            open.push(stream);
        }
        std::thread::sleep(Duration::from_secs(60));
        drop(open);
    });
    let root = tempfile::tempdir().unwrap();
    let url = format!("git://127.0.0.1:{port}/silent.git");
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  timeout(time: 3, unit: 'SECONDS') {{\n    git url: '{url}', branch: 'main'\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let started = Instant::now();
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert!(started.elapsed() < Duration::from_secs(30), "{text}");
    assert!(text.contains("Timeout has been exceeded"), "{text}");
    assert!(text.contains("Finished: ABORTED"), "{text}");
    assert_eq!(code, 4, "{text}");
    assert_eq!(
        processes_left_mentioning(&url),
        Vec::<String>::new(),
        "{text}"
    );

    // Aborting the run (Ctrl-C) while git hangs: nothing of git is left either.
    let mut child = Command::new(BIN)
        .arg("run")
        .arg(pipeline.join("Jenkinsfile"))
        .args(["--job", "demo2", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while processes_mentioning(&url).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!processes_mentioning(&url).is_empty(), "git never started");
    let pid = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap()).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let status = child.wait().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(!status.success(), "{out}");
    assert!(out.contains("Finished: ABORTED"), "{out}");
    assert_eq!(
        processes_left_mentioning(&url),
        Vec::<String>::new(),
        "{out}"
    );
    drop(held);
}

#[test]
fn change_sets_are_objects_as_jenkinsfiles_walk_them() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        format!(
            "node {{\n  git url: 'file://{}', branch: 'main'\n  def changeLogSets = currentBuild.changeSets\n  for (int i = 0; i < changeLogSets.size(); i++) {{\n    def entries = changeLogSets[i].items\n    for (int j = 0; j < entries.length; j++) {{\n      def entry = entries[j]\n      echo \"A ${{entry.commitId}} by ${{entry.author}} on ${{entry.timestamp}}: ${{entry.msg}}\"\n      def files = new ArrayList(entry.affectedFiles)\n      for (int k = 0; k < files.size(); k++) {{\n        def file = files[k]\n        echo \"B   ${{file.editType.name}} ${{file.path}}\"\n      }}\n    }}\n  }}\n  for (cs in currentBuild.changeSets) {{\n    echo \"C kind=${{cs.getKind()}} n=${{cs.getItems().size()}} empty=${{cs.emptySet}}\"\n    for (e in cs) {{\n      echo \"D ${{e.getMsg()}} ${{e.getAuthor().getFullName()}} ${{e.author.fullName}} ${{e.getCommitId() == e.commitId}} ${{e.affectedFiles*.path}} ${{e.getAffectedPaths()}}\"\n    }}\n  }}\n}}\n",
            origin.display()
        ),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let second = commit_and_push(&work, &[("a.txt", "a\n"), ("README.md", "v3\n")], "add a");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let seconds: i64 = git_fixed(&work, &["log", "-1", "--format=%ct", &second])
        .parse()
        .unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| ["A ", "B ", "C ", "D "].iter().any(|p| l.starts_with(p)))
        .collect();
    assert_eq!(
        lines,
        vec![
            format!("A {second} by Dev Eloper on {}: add a", seconds * 1000).as_str(),
            "B   edit README.md",
            "B   add a.txt",
            "C kind=git n=1 empty=false",
            "D add a Dev Eloper Dev Eloper true [README.md, a.txt] [README.md, a.txt]",
        ],
        "{text}"
    );
}

#[test]
fn a_run_and_a_plan_leave_the_users_git_index_untouched() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "pipeline {\n  agent any\n  stages {\n    stage('Docs') {\n      when { changeset '*.md' }\n      steps { echo 'docs changed' }\n    }\n  }\n}\n",
    )
    .unwrap();
    // A clean tracked file whose timestamp changed: a plain `git status` would refresh the
    // index's stat cache and write .git/index back.
    let touched = Command::new("touch")
        .args(["-d", "15 minutes ago"])
        .arg(work.join("README.md"))
        .status()
        .unwrap();
    assert!(touched.success());
    let index = || std::fs::read(work.join(".git/index")).unwrap();
    let before = index();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        index() == before,
        "the run rewrote the user's .git/index:\n{text}"
    );
    let plan = Command::new(BIN)
        .args(["plan", "Jenkinsfile"])
        .current_dir(&work)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(
        plan.status.success(),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    assert!(index() == before, "the plan rewrote the user's .git/index");
}

#[test]
fn an_empty_artifact_pattern_is_refused_not_the_whole_workspace() {
    let root = tempfile::tempdir().unwrap();
    let pipeline = root.path().join("pipeline");
    std::fs::create_dir_all(&pipeline).unwrap();
    std::fs::write(
        pipeline.join("Jenkinsfile"),
        "node {\n  writeFile file: 'a.txt', text: 'x'\n  archiveArtifacts artifacts: ' '\n}\n",
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains(
            "ERROR: No artifacts are configured for archiving.\nYou probably forgot to set the file pattern"
        ),
        "{text}"
    );
    assert!(!text.contains("Archiving artifacts"), "{text}");
    assert!(!home.join("jobs/demo/builds/1/archive/a.txt").exists());
}

#[test]
fn a_push_from_the_build_never_lands_in_the_users_repository() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'git tag ci-tag && git push origin ci-tag HEAD:refs/heads/ci-branch'\n}\n",
    )
    .unwrap();
    let refs = |repo: &Path| {
        let out = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["for-each-ref", "--format=%(refname)"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    // As on Jenkins, the push goes to the remote the user's repository came from...
    assert!(refs(&origin).contains("refs/heads/ci-branch"), "{text}");
    assert!(refs(&origin).contains("refs/tags/ci-tag"), "{text}");
    // ...and never into the user's repository, which the workspace fetches from.
    assert!(!refs(&work).contains("ci-branch"), "{text}");
    assert!(!refs(&work).contains("ci-tag"), "{text}");

    // With no `origin` in the user's repository, the push is refused.
    git_fixed(&work, &["remote", "remove", "origin"]);
    let home = root.path().join("home2");
    let (text, code) = run_in(&work, &home, &[]);
    assert_ne!(code, 0, "{text}");
    assert!(
        text.contains("jenkinsfile-builds-do-not-push-to-your-local-repository"),
        "{text}"
    );
    assert!(!refs(&work).contains("ci-tag"), "{text}");
}

#[test]
fn no_jenkinsfile_directory_reaches_the_workspace_at_any_depth() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::create_dir_all(work.join(".jenkinsfile")).unwrap();
    std::fs::write(work.join(".jenkinsfile/committed.txt"), "runner's\n").unwrap();
    git_fixed(&work, &["add", ".jenkinsfile/committed.txt"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "runner settings"]);
    std::fs::create_dir_all(work.join("sub/.jenkinsfile")).unwrap();
    std::fs::write(work.join("sub/.jenkinsfile/untracked.txt"), "runner's\n").unwrap();
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'find . -name .git -prune -o -type f -print | sort'\n}\n",
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("./Jenkinsfile"), "{text}");
    assert!(!text.contains("committed.txt"), "{text}");
    assert!(!text.contains("untracked.txt"), "{text}");
}

#[test]
fn a_staged_new_file_is_dropped_by_a_later_head_checkout() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(work.join("staged-new.txt"), "staged, never committed\n").unwrap();
    git_fixed(&work, &["add", "staged-new.txt"]);
    std::fs::write(work.join("Jenkinsfile"), "node {\n  checkout scm\n}\n").unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert!(ws.join("staged-new.txt").is_file(), "{text}");
    let (text, code) = run_in(&work, &home, &["--scm".into(), "head".into()]);
    assert_eq!(code, 0, "{text}");
    assert!(!ws.join("staged-new.txt").exists(), "{text}");
    assert!(work.join("staged-new.txt").is_file());
}
