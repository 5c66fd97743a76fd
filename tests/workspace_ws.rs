//! The `ws` step: it leases a named directory (relative to the node's root, the build home, as
//! on Jenkins' built-in node) from the same workspace list as the nodes, so `dir@2` while
//! another block holds `dir`, and it needs a node. Fixture in `fixtures/workspace/`.

use std::path::Path;

use crate::scm_golden::run_in;

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
}

#[test]
fn ws_leases_a_directory_under_the_node_root_and_needs_a_node() {
    let root = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspace/ws_step.Jenkinsfile");
    std::fs::copy(&fixture, root.path().join("Jenkinsfile")).unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    let custom = home.join("custom").display().to_string();
    let ws = home.join("jobs/demo/workspace").display().to_string();
    assert_eq!(code, 1, "{text}");
    has(&text, &format!("node: {ws}\n"));
    has(&text, &format!("Running in {custom}\n"));
    has(&text, &format!("ws: {custom} pwd: {custom}\n"));
    has(&text, &format!("+ pwd\n{custom}\n"));
    has(&text, &format!("inner: {custom}@2\n"));
    // The node holds the job's workspace, so `ws { }` gets the next one.
    has(&text, &format!("default: {ws}@2\n"));
    has(
        &text,
        &format!("abs: {}\n", root.path().join("abs").display()),
    );
    // Released when its block ended.
    has(&text, &format!("again: {custom}\n"));
    assert!(Path::new(&format!("{custom}@2")).is_dir());
    has(
        &text,
        "Required context class hudson.model.Computer is missing\nPerhaps you forgot to surround the ws step with a step that provides this, such as: node",
    );
    assert!(!text.contains("never"), "{text}");
}
