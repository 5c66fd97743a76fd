//! The server driven by a second real editor: batch Emacs 28 with eglot 1.9 (the Debian packages
//! `emacs-nox` and `elpa-eglot`, which `scripts/install-deps` installs) connects to
//! `jenkinsfile lsp` (`tests/lsp_emacs.el`). The test reads back what flymake holds, what a hover
//! returned, and that fixing the buffer cleared the diagnostics. Skipped with a message when
//! Emacs or eglot is absent, a failure when `CI=true`.

use std::path::Path;
use std::process::Command;

use crate::lsp_client::say;

fn have_emacs_with_eglot() -> bool {
    let found = Command::new("emacs")
        .args(["--batch", "-q", "--eval", "(require 'eglot)"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "emacs with eglot is missing; CI must run the Emacs test (scripts/install-deps installs it)"
        );
        say("lsp_emacs skipped: no `emacs` with eglot (scripts/install-deps installs both)");
    }
    found
}

#[test]
fn emacs_eglot_receives_the_diagnostics() {
    if !have_emacs_with_eglot() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Jenkinsfile");
    std::fs::copy(root.join("fixtures/lsp/emacs/Jenkinsfile"), &file).unwrap();
    // eglot finds the project through project.el, which needs a repository.
    let init = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(init.success(), "git init: {init}");
    let out = dir.path().join("out.txt");
    let status = Command::new("emacs")
        .args(["--batch", "-q", "-l"])
        .arg(root.join("tests/lsp_emacs.el"))
        .env("JF_BIN", env!("CARGO_BIN_EXE_jenkinsfile"))
        .env("JF_FILE", &file)
        .env("JF_OUT", &out)
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "emacs: {status}");
    let got = std::fs::read_to_string(&out).unwrap();
    // Emacs counts characters: `shh` is character 20 of line 4, which eglot computed from our
    // UTF-16 column 21 (the `😀` is two UTF-16 units but one character).
    assert_eq!(
        got,
        "4:20 jenkinsfile [unknown-step]: unknown step `shh`\nhover sh\nafter fix 0\n"
    );
}
