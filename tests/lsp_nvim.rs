//! The same server driven by a real editor: headless Neovim (0.7, the Debian package that
//! `scripts/install-deps` installs) attaches `jenkinsfile lsp` with `vim.lsp.start_client` and
//! `vim.lsp.buf_attach_client` (`tests/lsp_nvim.lua`), and the test reads back what
//! `vim.diagnostic.get` holds and what a hover returned. Skipped with a message when `nvim` is
//! absent, a failure when `CI=true`.

use std::path::Path;
use std::process::Command;

use crate::lsp_client::say;

fn have_nvim() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "nvim is missing; CI must run the Neovim test (scripts/install-deps installs it)"
        );
        say("lsp_nvim skipped: no `nvim` on PATH (scripts/install-deps installs it)");
    }
    found
}

#[test]
fn neovim_receives_the_diagnostics() {
    if !have_nvim() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Jenkinsfile");
    std::fs::copy(root.join("fixtures/lsp/nvim/Jenkinsfile"), &file).unwrap();
    let out = dir.path().join("out.txt");
    let status = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root.join("tests/lsp_nvim.lua").display()
        ))
        .env("JF_BIN", env!("CARGO_BIN_EXE_jenkinsfile"))
        .env("JF_FILE", &file)
        .env("JF_OUT", &out)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "nvim: {status}");
    let got = std::fs::read_to_string(&out).unwrap();
    // `shh` is at byte column 24 of line 3 (0-based 2): Neovim turned our UTF-16 column 21 (the
    // `😀` is two units and four bytes, the `é` one unit and two bytes) back into bytes; a
    // server counting characters (20) or bytes would put it elsewhere.
    assert_eq!(got, "2:24 unknown-step 2\nhover sh\n");
}
