//! A build's `sh` can leave links and git settings behind in its own workspace. The next
//! steps and builds must not follow them out: a link at the job's workspace is replaced, a
//! workspace or `@tmp` swapped for a link refuses writes, and a workspace `.git` that points
//! elsewhere is cloned afresh, so the user's repository stays as it was.

use std::path::Path;

use crate::scm_golden::run_in;
use crate::support::tree;

fn write_jenkinsfile(repo: &Path, text: &str) {
    std::fs::write(repo.join("Jenkinsfile"), text).unwrap();
}

#[test]
fn a_link_left_at_the_job_workspace_is_replaced_by_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    let home = root.path().join("home");
    let victim = root.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("README.md"), "victim\n").unwrap();
    std::fs::create_dir_all(home.join("jobs/demo")).unwrap();
    std::os::unix::fs::symlink(&victim, home.join("jobs/demo/workspace")).unwrap();
    write_jenkinsfile(&work, "node {\n  sh 'echo x >> README.md'\n}\n");
    let before = tree(&work);
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        std::fs::read_to_string(victim.join("README.md")).unwrap(),
        "victim\n"
    );
    let ws = home.join("jobs/demo/workspace");
    assert!(
        !std::fs::symlink_metadata(&ws)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("README.md")).unwrap(),
        "x\n"
    );
    assert_eq!(tree(&work), before);
}

#[test]
fn writes_through_a_tmp_swapped_for_a_link_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    let home = root.path().join("home");
    let victim = root.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep.txt"), "keep\n").unwrap();
    write_jenkinsfile(
        &work,
        &format!(
            "node {{\n  sh 'rm -rf ../workspace@tmp; ln -s {} ../workspace@tmp'\n  try {{\n    writeFile file: '../workspace@tmp/keep.txt', text: 'pwned'\n  }} catch (e) {{\n    echo \"refused: ${{e.message}}\"\n  }}\n}}\n",
            victim.display()
        ),
    );
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let tmp = home.join("jobs/demo/workspace@tmp");
    let resolved = std::fs::canonicalize(&victim).unwrap();
    assert!(
        text.contains(&format!(
            "refused: writeFile: refusing to write to ../workspace@tmp/keep.txt: {} is now a symbolic link to {}\n",
            tmp.display(),
            resolved.display()
        )),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(victim.join("keep.txt")).unwrap(),
        "keep\n"
    );
}

#[test]
fn a_workspace_git_dir_pointing_elsewhere_is_cloned_afresh() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = crate::scm::origin_and_clone(root.path());
    let home = root.path().join("home");
    // An uncommitted change of the user's: a checkout with the user's work tree would undo it.
    std::fs::write(work.join("README.md"), "v1\nmine\n").unwrap();
    let dot_git = tree(&work.join(".git"));
    for (n, tamper) in [
        format!("git config core.worktree {}", work.display()),
        format!("echo {}/.git > .git/commondir", work.display()),
        format!(
            "rm -rf .git/refs; ln -s {}/.git/refs .git/refs",
            work.display()
        ),
    ]
    .iter()
    .enumerate()
    {
        write_jenkinsfile(
            &work,
            &format!("node {{\n  checkout scm\n  sh '{tamper}'\n}}\n"),
        );
        let (text, code) = run_in(&work, &home, &[]);
        assert_eq!(code, 0, "{tamper}: {text}");
        write_jenkinsfile(
            &work,
            "node {\n  checkout scm\n  sh 'git status --short'\n}\n",
        );
        let (text, code) = run_in(&work, &home, &[]);
        assert_eq!(code, 0, "{tamper}: {text}");
        let ws = home.join("jobs/demo/workspace");
        assert!(
            text.contains(&format!(
                "The repository in {} cannot be updated from ",
                ws.display()
            )) && text.contains(&format!("wiping {} and cloning again\n", ws.display())),
            "{n}: {tamper}: {text}"
        );
        assert_eq!(
            std::fs::read_to_string(work.join("README.md")).unwrap(),
            "v1\nmine\n",
            "{tamper}"
        );
        assert_eq!(tree(&work.join(".git")), dot_git, "{tamper}");
        assert_eq!(
            std::fs::read_to_string(ws.join("README.md")).unwrap(),
            "v1\nmine\n",
            "{tamper}"
        );
    }
}
