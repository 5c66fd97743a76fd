//! `stash`/`unstash` keep links and modes, and `--from-stage` reads back the stashes that
//! `preserveStashes` kept (Jenkins' "Restart from Stage"). Fixtures in `fixtures/workspace/`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::scm_golden::run_in;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workspace")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
}

#[test]
fn stash_keeps_links_and_the_executable_bit() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Jenkinsfile"),
        fixture("stash_links.Jenkinsfile"),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, "Stashed 6 file(s)");
    has(&text, "+ ./tool.sh\ntool ran\n+ cat rel-link\nhi\n");
    has(
        &text,
        "+ readlink rel-link abs-link dir-link dangling\nsrc/a.txt\n/etc/hostname\nsrc\nmissing\n",
    );
    let ws = home.join("jobs/demo/workspace");
    let link = |name: &str| std::fs::read_link(ws.join(name)).map(|p| p.display().to_string());
    assert_eq!(link("rel-link").unwrap(), "src/a.txt");
    assert_eq!(link("abs-link").unwrap(), "/etc/hostname");
    assert_eq!(link("dir-link").unwrap(), "src");
    assert_eq!(link("dangling").unwrap(), "missing");
    let mode = std::fs::metadata(ws.join("tool.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    let plain = std::fs::metadata(ws.join("src/a.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(plain & 0o111, 0, "a plain file became executable");
}

#[test]
fn from_stage_unstashes_what_the_restarted_build_preserved() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Jenkinsfile"),
        fixture("restart_stashes.Jenkinsfile"),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, "build 1 unstashed: made by build 1");

    let from = ["--from-stage".to_owned(), "use".to_owned()];
    let (text, code) = run_in(root.path(), &home, &from);
    assert_eq!(code, 0, "{text}");
    // Jenkins' cause for a restarted build comes first.
    assert!(
        text.starts_with("Restarted from build #1, stage use\n"),
        "{text}"
    );
    has(&text, "build 2 unstashed: made by build 1");
    assert!(!text.contains("made by build 2"), "{text}");
    // The restarted build holds the stashes it started with, preserved in turn.
    assert!(
        home.join("jobs/demo/builds/2/stashes/made/made.txt")
            .is_file()
    );

    // A full build 3 stashes anew; restarting now reads build 3's.
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    let (text, code) = run_in(root.path(), &home, &from);
    assert_eq!(code, 0, "{text}");
    has(&text, "Restarted from build #3, stage use");
    has(&text, "build 4 unstashed: made by build 3");
}

#[test]
fn from_stage_without_preserved_stashes_says_why_unstash_fails() {
    let root = tempfile::tempdir().unwrap();
    let text = fixture("restart_stashes.Jenkinsfile")
        .replace("options { preserveStashes(buildCount: 5) }", "");
    std::fs::write(root.path().join("Jenkinsfile"), text).unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    let from = ["--from-stage".to_owned(), "use".to_owned()];
    let (text, code) = run_in(root.path(), &home, &from);
    assert_ne!(code, 0, "{text}");
    assert!(!text.contains("Restarted from build"), "{text}");
    has(
        &text,
        "Note: this build restarts from stage ‘use’, but no earlier build of this job preserved its stashes",
    );
    has(&text, "ERROR: No such saved stash ‘made’");
}

#[test]
fn preserve_stashes_spares_the_stashes_of_a_build_still_running() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Jenkinsfile"),
        fixture("preserve_running.Jenkinsfile"),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, "+ cat x\n1");

    // Build #2 runs in the background; build #3 restarts build #1 and ends while #2 sleeps.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("run")
        .arg(root.path().join("Jenkinsfile"))
        .args(["--job", "demo", "--clean-env", "--home"])
        .arg(&home)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", &home)
        .env("LANG", "C.UTF-8")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stashed = home.join("jobs/demo/builds/2/stashes/s/x");
    let start = std::time::Instant::now();
    while !stashed.exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "build #2 never stashed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let from = ["--from-stage".to_owned(), "U".to_owned()];
    let (text, code) = run_in(root.path(), &home, &from);
    assert_eq!(code, 0, "{text}");
    has(&text, "Restarted from build #1, stage U");
    has(&text, "+ cat x\n1");
    let mut second = second;
    assert!(
        second.try_wait().unwrap().is_none(),
        "build #2 ended before build #3: the test shows nothing"
    );
    let output = second.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    has(&text, "+ cat x\n2");
    // Now that #2 has ended, it pruned #1's; #3's are the last build's.
    assert!(!home.join("jobs/demo/builds/1/stashes").exists());
}

#[test]
fn a_stashed_link_over_a_directory_is_a_warning_and_the_rest_is_unstashed() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Jenkinsfile"),
        fixture("unstash_link_over_dir.Jenkinsfile"),
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, "Stashed 2 file(s)");
    has(
        &text,
        "Warning: unstash ‘links’: l is a directory, not replaced by the stashed link; going on\n",
    );
    has(&text, "+ cat p\nplain\n+ cat l/keep\nmine\n");
    has(&text, "+ echo still-a-dir\nstill-a-dir\n");
}

#[test]
fn unstash_replaces_a_link_out_of_the_workspace_instead_of_writing_through_it() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("Jenkinsfile"),
        "node {\n  writeFile file: 'f.txt', text: 'stashed'\n  stash name: 's', includes: 'f.txt'\n  sh 'rm f.txt; mkdir -p ../outside; echo secret > ../outside/secret.txt; ln -s ../outside/secret.txt f.txt'\n  unstash 's'\n  sh 'test ! -L f.txt'\n  sh 'cat f.txt ../outside/secret.txt'\n}\n",
    )
    .unwrap();
    let home = root.path().join("home");
    let (text, code) = run_in(root.path(), &home, &[]);
    assert_eq!(code, 0, "{text}");
    has(&text, "+ cat f.txt ../outside/secret.txt\nstashedsecret\n");
    assert_eq!(
        std::fs::read_to_string(home.join("jobs/demo/outside/secret.txt")).unwrap(),
        "secret\n"
    );
}
