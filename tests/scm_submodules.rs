//! Submodules under `checkout scm`. A submodule initialised in the user's working copy is
//! checked out into the workspace from it, at the commit it has checked out, with its own
//! uncommitted and untracked files; one not initialised stays empty unless `SubmoduleOption`
//! asks for it, and then it is fetched from its remote, its relative URL (`../other.git`)
//! resolved against the user's real `origin` (here a `git daemon` on 127.0.0.1), not
//! against the local repository the workspace shares objects with.

use std::path::Path;

use crate::scm::{Daemon, commit_and_push};
use crate::scm_golden::{git_fixed, run_in};
use crate::support::tree;

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
}

/// A bare repository `<name>.git` under `root` with one pushed commit holding `file`.
fn library(root: &Path, name: &str, file: (&str, &str)) {
    let bare = root.join(format!("{name}.git"));
    std::fs::create_dir_all(&bare).unwrap();
    git_fixed(
        &bare,
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    let work = root.join(format!("{name}-work"));
    git_fixed(
        root,
        &[
            "clone",
            "--quiet",
            bare.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    git_fixed(&work, &["config", "user.name", "Dev Eloper"]);
    git_fixed(&work, &["config", "user.email", "dev@example.com"]);
    commit_and_push(&work, &[file], name);
}

#[test]
fn submodules_of_the_working_copy_reach_the_workspace() {
    let root = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(root.path());
    library(root.path(), "lib", ("lib.txt", "committed\n"));
    library(root.path(), "other", ("other.txt", "from the remote\n"));
    let origin = root.path().join("origin.git");
    std::fs::create_dir_all(&origin).unwrap();
    git_fixed(
        &origin,
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    let work = root.path().join("work");
    git_fixed(
        root.path(),
        &["clone", "--quiet", origin.to_str().unwrap(), "work"],
    );
    git_fixed(&work, &["config", "user.name", "Dev Eloper"]);
    git_fixed(&work, &["config", "user.email", "dev@example.com"]);
    std::fs::write(work.join("README.md"), "super\n").unwrap();
    git_fixed(&work, &["add", "README.md"]);
    for name in ["lib", "other"] {
        git_fixed(
            &work,
            &[
                "-c",
                "protocol.file.allow=always",
                "submodule",
                "--quiet",
                "add",
                &format!("../{name}.git"),
                name,
            ],
        );
    }
    git_fixed(&work, &["commit", "--quiet", "-m", "with submodules"]);
    git_fixed(&work, &["push", "--quiet", "origin", "main"]);
    // The user's origin as a remote would be: served over the network (loopback here).
    let served = format!("git://127.0.0.1:{}/origin.git", daemon.port);
    git_fixed(&work, &["remote", "set-url", "origin", &served]);
    // `other` is not initialised in the working copy; `lib` is, with work in progress.
    git_fixed(
        &work,
        &["submodule", "--quiet", "deinit", "--force", "other"],
    );
    std::fs::write(work.join("lib/lib.txt"), "work in progress\n").unwrap();
    std::fs::write(work.join("lib/new.txt"), "untracked in lib\n").unwrap();
    let lib_head = git_fixed(&work.join("lib"), &["rev-parse", "HEAD"]);
    std::fs::write(
        work.join("Jenkinsfile"),
        "node {\n  dir('plain') {\n    checkout scm\n    sh 'cat lib/lib.txt lib/new.txt; git -C lib rev-parse HEAD; ls -A other | wc -l; git config submodule.lib.url; git remote get-url origin'\n  }\n  dir('with') {\n    checkout([$class: 'GitSCM', branches: scm.branches, userRemoteConfigs: scm.userRemoteConfigs, extensions: [[$class: 'SubmoduleOption', recursiveSubmodules: true]]])\n    sh 'cat other/other.txt lib/lib.txt'\n  }\n}\n",
    )
    .unwrap();
    let before = tree(&work);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    drop(daemon);
    assert_eq!(code, 0, "{text}");
    assert_eq!(tree(&work), before, "the user's repository changed");
    let port_url = |name: &str| served.replace("origin.git", &format!("{name}.git"));
    has(
        &text,
        &format!(
            "Submodule lib: checked out {lib_head} from your working copy (1 modified, 1 untracked, 0 deleted file(s))\n"
        ),
    );
    has(
        &text,
        "Submodule other: not initialised in your working copy, left empty (the SubmoduleOption extension fetches it)\n",
    );
    has(
        &text,
        "+ cat lib/lib.txt lib/new.txt\nwork in progress\nuntracked in lib\n",
    );
    has(&text, &format!("+ git -C lib rev-parse HEAD\n{lib_head}\n"));
    has(&text, "\n0\n");
    has(
        &text,
        &format!("+ git config submodule.lib.url\n{}\n", port_url("lib")),
    );
    has(&text, &format!("+ git remote get-url origin\n{served}\n"));
    assert!(!text.contains("unsupported"), "{text}");
    // With the extension, the missing one comes from its remote, the URL resolved against
    // the real origin.
    has(&text, " > git submodule update --init --recursive -- other");
    has(
        &text,
        "+ cat other/other.txt lib/lib.txt\nfrom the remote\nwork in progress\n",
    );
}
