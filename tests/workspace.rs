//! Concurrent use of one job's workspace within a build (Jenkins' `WorkspaceList`): parallel
//! nodes and nested nodes lease `workspace@2`, `@3`, …, see it as `WORKSPACE`, `pwd()` and
//! `sh`'s directory, check out into it, and give it back when their block ends, however it
//! ends. The fixtures are in `fixtures/workspace/`.

use std::path::{Path, PathBuf};

use crate::scm::origin_and_clone;
use crate::scm_golden::run_in;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workspace")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs fixture `name` as job `demo` in a plain directory; returns (console, workspace dir).
fn run_fixture(root: &Path, name: &str) -> (String, i32, PathBuf) {
    std::fs::write(root.join("Jenkinsfile"), fixture(name)).unwrap();
    let home = root.join("home");
    let (text, code) = run_in(root, &home, &[]);
    (text, code, home.join("jobs/demo/workspace"))
}

fn at(ws: &Path, n: u32) -> String {
    format!("{}@{n}", ws.display())
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
}

#[test]
fn parallel_agents_each_lease_their_own_workspace() {
    let root = tempfile::tempdir().unwrap();
    let (text, code, ws) = run_fixture(root.path(), "parallel_agents.Jenkinsfile");
    assert_eq!(code, 0, "{text}");
    let (one, two) = (ws.display().to_string(), at(&ws, 2));
    // Which branch leases first is up to the scheduler; each must see only its own file.
    let (a, b) = if text.contains(&format!("a read from a in {one}\n")) {
        (one.clone(), two.clone())
    } else {
        (two.clone(), one.clone())
    };
    has(&text, &format!("a read from a in {a}\n"));
    has(&text, &format!("b read from b in {b}\n"));
    has(&text, &format!("a env {a} tmp {a}@tmp\n"));
    has(&text, &format!("b env {b} tmp {b}@tmp\n"));
    has(&text, &format!("a sh from a in {a}\n"));
    has(&text, &format!("b sh from b in {b}\n"));
    has(&text, &format!("Running on Jenkins in {one}\n"));
    has(&text, &format!("Running on Jenkins in {two}\n"));
    // Both leases ended with their stages: the next stage gets the first workspace again.
    has(&text, &format!("after in {one}\n"));
    assert_eq!(
        std::fs::read_to_string(Path::new(&a).join("same.txt")).unwrap(),
        "from a"
    );
    assert_eq!(
        std::fs::read_to_string(Path::new(&b).join("same.txt")).unwrap(),
        "from b"
    );
    assert!(!text.contains(&at(&ws, 3)), "{text}");
}

#[test]
fn scripted_parallel_and_nested_nodes_lease_and_release() {
    let root = tempfile::tempdir().unwrap();
    let (text, code, ws) = run_fixture(root.path(), "parallel_nodes.Jenkinsfile");
    assert_eq!(code, 0, "{text}");
    let (one, two) = (ws.display().to_string(), at(&ws, 2));
    let a_first = text.contains(&format!("a read from a in {one}\n"));
    let (a, b) = if a_first { (&one, &two) } else { (&two, &one) };
    has(&text, &format!("a read from a in {a}\n"));
    has(&text, &format!("b read from b in {b}\n"));
    // A nested node is another executor: it gets `@2` while the outer node holds the first.
    has(&text, &format!("outer in {one} env {one}\n"));
    has(&text, &format!("nested in {two} env {two}\n"));
    has(&text, &format!("outer again env {one}\n"));
    // The failed node's lease ended with its block.
    has(&text, "caught boom");
    has(&text, &format!("after failure in {one}\n"));
    assert!(ws.join("failed.txt").is_file());
}

#[test]
fn parallel_checkouts_go_into_each_branchs_workspace() {
    let root = tempfile::tempdir().unwrap();
    let (_, work) = origin_and_clone(root.path());
    std::fs::write(
        work.join("Jenkinsfile"),
        fixture("parallel_checkout.Jenkinsfile"),
    )
    .unwrap();
    let head = crate::scm_golden::git_fixed(&work, &["rev-parse", "HEAD"]);
    let home = root.path().join("home");
    let (text, code) = run_in(&work, &home, &[]);
    assert_eq!(code, 0, "{text}");
    let ws = home.join("jobs/demo/workspace");
    let (one, two) = (ws.display().to_string(), at(&ws, 2));
    let mut seen = Vec::new();
    for branch in ["one", "two"] {
        let line = text
            .lines()
            .find(|l| l.contains(&format!("{branch} head ")))
            .unwrap_or_else(|| panic!("no `{branch} head` line in:\n{text}"));
        has(line, &format!("head {head} where "));
        seen.push(line.rsplit(" where ").next().unwrap().to_owned());
    }
    seen.sort();
    assert_eq!(seen, vec![one.clone(), two.clone()], "{text}");
    for dir in [&one, &two] {
        assert!(Path::new(dir).join(".git").exists(), "no checkout in {dir}");
        assert!(
            Path::new(dir).join("README.md").is_file(),
            "no checkout in {dir}"
        );
    }
}
