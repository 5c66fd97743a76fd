//! Checkout robustness against real git: a history rewritten and collected under an existing
//! workspace, a lost object store, a directory that became a file, nested untracked
//! repositories, `checkoutToSubdirectory`, `GIT_PREVIOUS_*` per branch, `scmGit(…)` and the
//! git plugin's checkout extensions in both their `$class` and symbol forms.

use std::path::Path;
use std::process::Command;

use crate::scm::{commit_and_push, origin_and_clone};
use crate::scm_golden::{git_fixed, run_in};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .to_owned()
}

/// Drops every object no ref reaches any more, as a `gc` some time after a rewrite does.
fn collect_garbage(repo: &Path) {
    git_fixed(repo, &["reflog", "expire", "--expire=now", "--all"]);
    git_fixed(repo, &["gc", "--quiet", "--prune=now"]);
}

/// The lines of `text` that start with `prefix`, without it.
fn echoed<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .collect()
}

fn write_pipeline(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("Jenkinsfile"), text).unwrap();
}

#[test]
fn checkout_scm_after_the_users_history_was_rewritten_and_collected() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    std::fs::write(ws.join("build-output.txt"), "from the old history\n").unwrap();

    // Drop the last commit, commit anew, and let gc collect the old one: the workspace's refs, index and
    // HEAD now name objects its borrowed object store no longer has.
    git_fixed(&work, &["reset", "--quiet", "--hard", "HEAD~1"]);
    std::fs::write(work.join("rewritten.txt"), "new history\n").unwrap();
    git_fixed(&work, &["add", "rewritten.txt"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "rewritten"]);
    git_fixed(&work, &["push", "--quiet", "--force", "origin", "feature"]);
    collect_garbage(&work);
    let head = git_fixed(&work, &["rev-parse", "HEAD"]);

    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "The repository in {} cannot be updated from {} (git ",
            ws.display(),
            work.display()
        )) && text.contains(&format!("): wiping {} and cloning again\n", ws.display())),
        "{text}"
    );
    assert_eq!(read(&ws.join("head.txt")), head, "{text}");
    assert_eq!(read(&ws.join("rewritten.txt")), "new history");
    assert!(!ws.join("feature.txt").exists(), "{text}");
    // Wiped, so that nothing of the old history stays behind untracked.
    assert!(!ws.join("build-output.txt").exists(), "{text}");

    // And the build after that updates in place again.
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("cloned again"), "{text}");
}

/// An interrupted clone can leave the workspace's `.git` empty. git must not climb from there
/// to a repository above the build home (a dotfiles home, say) and rewrite it.
#[test]
fn an_empty_workspace_git_never_reaches_a_repository_above_the_home() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    let parent = root.path().join("dotfiles");
    std::fs::create_dir_all(&parent).unwrap();
    git_fixed(&parent, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(parent.join("precious.txt"), "mine\n").unwrap();
    git_fixed(&parent, &["add", "precious.txt"]);
    git_fixed(
        &parent,
        &[
            "-c",
            "user.name=A",
            "-c",
            "user.email=a@b",
            "commit",
            "--quiet",
            "-m",
            "p",
        ],
    );
    let before = git_fixed(&parent, &["rev-parse", "HEAD"]);
    let home = parent.join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    std::fs::remove_dir_all(ws.join(".git")).unwrap();
    std::fs::create_dir(ws.join(".git")).unwrap();

    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("): wiping {} and cloning again\n", ws.display())),
        "{text}"
    );
    assert_eq!(git_fixed(&parent, &["rev-parse", "HEAD"]), before);
    assert_eq!(read(&parent.join("precious.txt")), "mine");
    let remotes = Command::new("git")
        .arg("-C")
        .arg(&parent)
        .args(["config", "--get-regexp", "^remote\\."])
        .output()
        .unwrap();
    assert!(remotes.stdout.is_empty(), "{remotes:?}");
    assert_eq!(
        read(&ws.join("head.txt")),
        git_fixed(&work, &["rev-parse", "HEAD"])
    );
}

#[test]
fn the_git_step_after_a_force_push_and_with_a_lost_object_store() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let pipeline = root.path().join("pipeline");
    write_pipeline(
        &pipeline,
        &format!(
            "node {{\n  def v = git url: 'file://{}', branch: 'main'\n  sh 'echo head=$(git rev-parse HEAD)'\n}}\n",
            origin.display()
        ),
    );
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");

    // A force-push of unrelated history, collected on the remote.
    git_fixed(&work, &["checkout", "--quiet", "--orphan", "fresh"]);
    std::fs::write(work.join("only.txt"), "only\n").unwrap();
    git_fixed(&work, &["add", "-A"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "unrelated"]);
    git_fixed(
        &work,
        &["push", "--quiet", "--force", "origin", "HEAD:main"],
    );
    let rewritten = git_fixed(&work, &["rev-parse", "HEAD"]);
    collect_garbage(&origin);
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(echoed(&text, "head="), vec![rewritten.as_str()], "{text}");
    assert!(!text.contains("cloning again"), "{text}");

    // The workspace's repository loses its objects: the fetch fails, the remote answers, so
    // the repository is cloned again.
    let ws = home.join("jobs/demo/workspace");
    let objects = ws.join(".git/objects");
    std::fs::remove_dir_all(&objects).unwrap();
    std::fs::create_dir_all(&objects).unwrap();
    let third = commit_and_push(&work, &[("third.txt", "3\n")], "third");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "The repository in {} cannot be updated from file://{} (git ",
            ws.display(),
            origin.display()
        )) && text.contains(&format!("): wiping {} and cloning again\n", ws.display())),
        "{text}"
    );
    assert!(text.contains("Cloning the remote Git repository"), "{text}");
    assert_eq!(echoed(&text, "head="), vec![third.as_str()], "{text}");

    // A `.git` that is no repository at all.
    std::fs::remove_dir_all(ws.join(".git")).unwrap();
    std::fs::write(ws.join(".git"), "gitdir: /nonexistent\n").unwrap();
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("/.git is not a usable git repository: removing it and cloning again"),
        "{text}"
    );
}

#[test]
fn a_directory_that_became_a_file_and_nested_repositories() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    std::fs::create_dir_all(work.join("x")).unwrap();
    std::fs::write(work.join("x/inner.txt"), "in a directory\n").unwrap();
    commit_and_push(&work, &[], "x is a directory");

    // The git step: x becomes a file between two builds, while the workspace holds an
    // untracked file under x/ and an untracked repository of the build's own.
    let pipeline = root.path().join("pipeline");
    write_pipeline(
        &pipeline,
        &format!(
            "node {{\n  git url: 'file://{}', branch: 'main'\n  sh 'if [ -d x ]; then touch x/untracked.txt; fi; test -d nested/.git || git init -q nested; echo x-is=$(test -f x && echo file || echo dir)'\n}}\n",
            origin.display()
        ),
    );
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(echoed(&text, "x-is="), vec!["dir"], "{text}");
    git_fixed(&work, &["rm", "--quiet", "-r", "x"]);
    commit_and_push(&work, &[("x", "now a file\n")], "x is a file");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(echoed(&text, "x-is="), vec!["file"], "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert_eq!(read(&ws.join("x")), "now a file");
    // Without a clean extension the nested repository is left alone.
    assert!(ws.join("nested/.git").is_dir(), "{text}");

    // checkout scm: in the working copy, x becomes a directory again (uncommitted), and an
    // untracked repository sits beside it.
    std::fs::remove_file(work.join("x")).unwrap();
    std::fs::create_dir_all(work.join("x")).unwrap();
    std::fs::write(work.join("x/again.txt"), "a directory again\n").unwrap();
    git_fixed(&work, &["init", "--quiet", "vendor/lib"]);
    std::fs::write(work.join("vendor/lib/lib.txt"), "another project\n").unwrap();
    let home = root.path().join("home-scm");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert_eq!(read(&ws.join("x/again.txt")), "a directory again");
    assert!(
        text.contains("Not overlaid: vendor/lib/ is a git repository nested in your working copy, untracked; the workspace leaves it out\n"),
        "{text}"
    );
    assert!(!ws.join("vendor/lib").exists(), "{text}");
    // The working copy's directory becomes a file again, uncommitted, over the last build.
    std::fs::remove_dir_all(work.join("x")).unwrap();
    std::fs::write(work.join("x"), "a file once more\n").unwrap();
    git_fixed(&work, &["add", "x"]);
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(read(&ws.join("x")), "a file once more");
}

#[test]
fn checkout_to_subdirectory_puts_the_default_checkout_in_it() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "pipeline {\n  agent any\n  options { checkoutToSubdirectory('src') }\n  stages {\n    stage('Build') {\n      steps {\n        sh 'echo top=$(ls -A | tr \"\\n\" \" \"); echo commit=$(git -C src rev-parse HEAD); echo env=$GIT_COMMIT'\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    git_fixed(&work, &["commit", "--quiet", "-am", "declarative"]);
    let head = git_fixed(&work, &["rev-parse", "HEAD"]);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert!(
        text.contains(&format!(
            "[Pipeline] {{ (Declarative: Checkout SCM)\n[Pipeline] dir\nRunning in {}/src\n[Pipeline] {{\n[Pipeline] checkout\n",
            ws.display()
        )),
        "{text}"
    );
    assert!(
        !text.contains("checkoutToSubdirectory has no meaning"),
        "{text}"
    );
    assert_eq!(echoed(&text, "top="), vec!["src"], "{text}");
    assert_eq!(echoed(&text, "commit="), vec![head.as_str()], "{text}");
    assert_eq!(echoed(&text, "env="), vec![head.as_str()], "{text}");
    assert!(ws.join("src/README.md").is_file());
    assert!(!ws.join("README.md").exists());
}

#[test]
fn previous_commits_are_kept_per_branch() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  def v = checkout scm\n  echo \"prev=${v.GIT_PREVIOUS_COMMIT} ok=${v.GIT_PREVIOUS_SUCCESSFUL_COMMIT} now=${v.GIT_COMMIT}\"\n}\n",
    )
    .unwrap();
    git_fixed(&work, &["commit", "--quiet", "-am", "a1"]);
    git_fixed(&work, &["checkout", "--quiet", "-b", "a"]);
    let a1 = git_fixed(&work, &["rev-parse", "HEAD"]);
    git_fixed(&work, &["checkout", "--quiet", "-b", "b"]);
    let b1 = commit_and_push(&work, &[("b.txt", "b\n")], "b1");
    let home = root.path().join("home");
    let build = |branch: &str| {
        git_fixed(&work, &["checkout", "--quiet", branch]);
        let (text, code) = run_in(&work, &home, &[]);
        assert_eq!(code, 0, "{text}");
        echoed(&text, "prev=")
            .first()
            .map_or_else(|| panic!("{text}"), |s| (*s).to_owned())
    };
    assert_eq!(build("a"), format!("null ok=null now={a1}"));
    assert_eq!(build("b"), format!("null ok=null now={b1}"));
    git_fixed(&work, &["checkout", "--quiet", "a"]);
    std::fs::write(work.join("a.txt"), "a\n").unwrap();
    git_fixed(&work, &["add", "a.txt"]);
    git_fixed(&work, &["commit", "--quiet", "-m", "a2"]);
    let a2 = git_fixed(&work, &["rev-parse", "HEAD"]);
    assert_eq!(build("a"), format!("{a1} ok={a1} now={a2}"));
    assert_eq!(build("b"), format!("{b1} ok={b1} now={b1}"));
}

/// `git -C dir args…` in the workspace, trimmed stdout.
fn in_ws(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?} in {}: {out:?}",
        dir.display()
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn scm_git_and_the_checkout_extensions() {
    let root = tempfile::tempdir().unwrap();
    let (origin, work) = origin_and_clone(root.path());
    git_fixed(&work, &["checkout", "--quiet", "main"]);
    let main = git_fixed(&work, &["rev-parse", "main"]);
    let url = format!("file://{}", origin.display());
    let pipeline = root.path().join("pipeline");
    write_pipeline(
        &pipeline,
        &format!(
            "node {{\n  def v = checkout scmGit(branches: [[name: 'main']], userRemoteConfigs: [[url: '{url}']], extensions: [relativeTargetDirectory('app'), localBranch('**'), cleanBeforeCheckout(), cloneOption(shallow: true, depth: 1, noTags: true, timeout: 3), [$class: 'PruneStaleBranch']])\n  echo \"dir=${{v.GIT_CHECKOUT_DIR}} local=${{v.GIT_LOCAL_BRANCH}} branch=${{v.GIT_BRANCH}}\"\n  sh 'touch app/junk.txt; git init -q app/nested'\n}}\n"
        ),
    );
    let home = root.path().join("home");
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let app = home.join("jobs/demo/workspace/app");
    assert!(
        text.contains("Warning: unsupported git extension PruneStaleBranch: ignored\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            " > git fetch --no-tags --force --progress --depth=1 -- {url} +refs/heads/*:refs/remotes/origin/* # timeout=3\n"
        )),
        "{text}"
    );
    // The first checkout is a clone: nothing to clean yet.
    assert!(!text.contains("Cleaning workspace"), "{text}");
    assert_eq!(
        echoed(&text, "dir="),
        vec!["app local=main branch=origin/main"]
    );
    assert_eq!(in_ws(&app, &["rev-parse", "HEAD"]), main);
    assert_eq!(in_ws(&app, &["rev-parse", "--abbrev-ref", "HEAD"]), "main");
    assert_eq!(in_ws(&app, &["rev-list", "--count", "HEAD"]), "1");
    assert_eq!(in_ws(&app, &["tag"]), "");
    assert!(!home.join("jobs/demo/workspace/README.md").exists());

    // Again: the clean before the fetch removes the untracked file, keeps the nested
    // repository (`-fdx`).
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Cleaning workspace\n > git rev-parse --verify HEAD # timeout=10\nResetting working tree\n > git reset --hard # timeout=10\n > git clean -fdx # timeout=10\nFetching upstream changes from"),
        "{text}"
    );
    assert!(app.join("nested/.git").is_dir(), "{text}");

    // The same extensions as `$class` maps through `checkout([$class: 'GitSCM', …])`, with
    // nested repositories deleted too, cleaning after the checkout, and a wipe.
    write_pipeline(
        &pipeline,
        &format!(
            "node {{\n  sh 'touch app/junk.txt'\n  def v = checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[url: '{url}']], extensions: [[$class: 'RelativeTargetDirectory', relativeTargetDir: 'app'], [$class: 'LocalBranch', localBranch: 'work'], [$class: 'CleanCheckout', deleteUntrackedNestedRepositories: true]]])\n  echo \"dir=${{v.GIT_CHECKOUT_DIR}} local=${{v.GIT_LOCAL_BRANCH}} branch=${{v.GIT_BRANCH}}\"\n  dir('wiped') {{\n    writeFile file: 'stale.txt', text: 'x'\n    checkout([$class: 'GitSCM', branches: [[name: '*/main']], userRemoteConfigs: [[url: '{url}']], extensions: [[$class: 'WipeWorkspace']]])\n  }}\n}}\n"
        ),
    );
    let (text, code) = run_in(&pipeline, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(" > git checkout -b work "), "{text}");
    assert!(
        text.contains("Cleaning workspace\n > git rev-parse --verify HEAD # timeout=10\nResetting working tree\n > git reset --hard # timeout=10\n > git clean -ffdx # timeout=10\n"),
        "{text}"
    );
    assert_eq!(
        echoed(&text, "dir="),
        vec!["app local=work branch=origin/main"]
    );
    assert!(!app.join("nested").exists(), "{text}");
    assert!(!app.join("junk.txt").exists(), "{text}");
    assert!(text.contains("Wiping out workspace first.\n"), "{text}");
    let wiped = home.join("jobs/demo/workspace/wiped");
    assert!(!wiped.join("stale.txt").exists(), "{text}");
    assert!(wiped.join("README.md").is_file(), "{text}");
}

#[test]
fn extensions_on_a_checkout_of_the_working_copy() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  def v = checkout([$class: 'GitSCM', branches: scm.branches, userRemoteConfigs: scm.userRemoteConfigs, extensions: scm.extensions + [[$class: 'RelativeTargetDirectory', relativeTargetDir: 'co'], [$class: 'LocalBranch', localBranch: '**'], cleanBeforeCheckout()]])\n  echo \"dir=${v.GIT_CHECKOUT_DIR} local=${v.GIT_LOCAL_BRANCH}\"\n  sh 'echo junk=$(test -e co/junk.txt && echo yes || echo no); touch co/junk.txt; echo branch=$(git -C co rev-parse --abbrev-ref HEAD)'\n}\n",
    )
    .unwrap();
    std::fs::write(work.join("wip.txt"), "work in progress\n").unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let co = home.join("jobs/demo/workspace/co");
    assert_eq!(echoed(&text, "dir="), vec!["co local=feature"], "{text}");
    assert_eq!(echoed(&text, "branch="), vec!["feature"], "{text}");
    assert_eq!(read(&co.join("wip.txt")), "work in progress");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Cleaning workspace\n"), "{text}");
    assert_eq!(echoed(&text, "junk="), vec!["no"], "{text}");
    assert_eq!(echoed(&text, "branch="), vec!["feature"], "{text}");
    assert_eq!(read(&co.join("wip.txt")), "work in progress");
}

#[test]
fn an_absolute_link_into_the_working_copy_points_into_the_workspace() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  checkout scm\n  sh 'echo appended >> inside-link'\n}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(work.join("README.md"), work.join("inside-link")).unwrap();
    let elsewhere = root.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "not the repository\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, work.join("outside-link")).unwrap();
    let readme = std::fs::read(work.join("README.md")).unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    assert_eq!(
        std::fs::read_link(ws.join("inside-link")).unwrap(),
        ws.join("README.md")
    );
    assert_eq!(
        std::fs::read_link(ws.join("outside-link")).unwrap(),
        elsewhere
    );
    assert_eq!(std::fs::read(work.join("README.md")).unwrap(), readme);
    assert_eq!(read(&ws.join("README.md")), "v2\nappended");
}
