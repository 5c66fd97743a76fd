//! Memory of `jenkinsfile lsp` with 20 open documents, measured, not asserted (ignored by
//! default; the README's figure comes from it):
//!
//! ```text
//! JENKINSFILE_CORPUS=/work/shared/corpus cargo test --test integration lsp_memory -- --ignored --nocapture
//! ```
//!
//! It spawns the server, opens 20 real-world corpus files spread over the corpus' size range
//! (every 24th of the files sorted by size), waits for each one's diagnostics, then sends
//! 1,000 `didChange` notifications (a line typed at a random place, round robin over the
//! documents, as ranges) and waits for the last version of each. After each phase it reads
//! `VmRSS`, `VmHWM` (peak) and `RssAnon` (heap and stacks, independent of how much of the
//! binary is mapped, so comparable between debug and release builds) from
//! `/proc/<pid>/status`. The only assertion is that the server still answers.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::lsp_client::{Client, say, uri};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(dir.join("real-world"))
        .ok()?
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?;
            (name.ends_with("Jenkinsfile") || name.ends_with(".groovy"))
                .then(|| Some((std::fs::metadata(&path).ok()?.len(), path)))?
        })
        .collect();
    files.sort();
    let step = (files.len() / 20).max(1);
    Some(
        files
            .into_iter()
            .step_by(step)
            .take(20)
            .map(|(_, p)| p)
            .collect(),
    )
}

fn report(client: &Client, phase: &str) {
    let kb = |f| {
        client
            .status_kb(f)
            .map_or("?".to_owned(), |v| v.to_string())
    };
    say(&format!(
        "{phase}: VmRSS {} kB, VmHWM {} kB, RssAnon {} kB",
        kb("VmRSS"),
        kb("VmHWM"),
        kb("RssAnon")
    ));
}

#[test]
#[ignore = "a measurement for the README; run with --ignored --nocapture"]
fn memory_with_twenty_open_corpus_documents() {
    let Some(files) = corpus_files() else {
        say("lsp_memory skipped: no corpus");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    report(&client, "after initialize");
    let mut docs = Vec::new();
    let mut bytes = 0;
    for (n, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        bytes += text.len();
        let uri = uri(&dir.path().join(format!("{n}.Jenkinsfile")));
        client.open(&uri, "jenkinsfile", &text);
        client.diagnostics(&uri, Some(1));
        docs.push((uri, text.lines().count().max(1), 1_i64));
    }
    say(&format!(
        "{} documents open, {bytes} bytes in all",
        docs.len()
    ));
    report(&client, "20 documents open");
    let mut seed = 0x5eed_u64;
    for edit in 0..1_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let (uri, lines, version) = &mut docs[edit % 20];
        let line = (seed >> 33) as usize % *lines;
        *version += 1;
        *lines += 1;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                 "text": format!("// edit {edit}\n")}
            ]}),
        );
    }
    for (uri, _, version) in &docs {
        client.diagnostics(uri, Some(*version));
    }
    report(&client, "after 1,000 didChange");
    let hover = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": docs[0].0}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    assert!(client.shutdown().success());
}
