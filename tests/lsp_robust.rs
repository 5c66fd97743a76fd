//! `jenkinsfile lsp` under abuse: random text, a 10 MB buffer, a thousand rapid edits, and
//! requests at absurd positions. The server must answer and keep answering.

use std::time::Instant;

use serde_json::{Value, json};

use crate::lsp_client::{Client, uri};

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.0 >> 33) as u32
    }
}

/// Random bytes, made text as the protocol requires (JSON strings are Unicode): every byte
/// value becomes a character, with braces, quotes and newlines among them.
fn random_text(seed: u64, len: usize) -> String {
    let mut rng = Lcg(seed);
    (0..len)
        .map(|_| char::from_u32(rng.next() % 0x3000).unwrap_or('\u{fffd}'))
        .collect()
}

fn still_answers(client: &mut Client, uri: &str) {
    let hover = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
}

#[test]
fn random_text_and_absurd_positions() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", &random_text(1, 20_000));
    client.diagnostics(&uri, Some(1));
    for (version, seed) in (2..6).zip(2..) {
        let bytes: String = random_text(seed, 5_000)
            .chars()
            .map(|c| if (c as u32).is_multiple_of(7) { '{' } else { c })
            .collect();
        client.change_all(&uri, version, &bytes);
        client.diagnostics(&uri, Some(version));
    }
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        let r = client.request_raw(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 99_999, "character": 4_000_000}}),
        );
        assert!(r.get("result").is_some(), "{method}: {r}");
    }
    // A range edit far outside the text clamps instead of panicking.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 9}, "contentChanges": [
            {"range": {"start": {"line": 500, "character": 3}, "end": {"line": 2, "character": 0}}, "text": "x"}]}),
    );
    client.diagnostics(&uri, Some(9));
    // Garbage parameters are an error response, not a crash.
    let bad = client.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert!(bad.get("error").is_some(), "{bad}");
    still_answers(&mut client, &uri);
    assert!(client.shutdown().success());
}

#[test]
fn a_ten_megabyte_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start(dir.path());
    let stage = "    stage('s') {\n      steps {\n        sh 'make test'\n        echo \"done ${env.BUILD_NUMBER}\"\n      }\n    }\n";
    let mut text = String::from("pipeline {\n  agent any\n  stages {\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(stage);
    }
    text.push_str("  }\n}\n");
    let started = Instant::now();
    client.open(&uri, "jenkinsfile", &text);
    let diags = client.diagnostics(&uri, Some(1));
    let elapsed = started.elapsed();
    crate::lsp_client::say(&format!("10 MB buffer: the note after {elapsed:?}"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "too-large-for-live-lint");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unsupported: this document is 10240 KiB")
    );
    // Outline and definition skip it too; hover and completion scan it and still answer.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(symbols, json!([]));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 9}}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("sh(String script")
    );
    // Shrunk under the limit, it is linted again.
    client.change_all(&uri, 2, "node { shh 'x' }\n");
    let diags = client.diagnostics(&uri, Some(2));
    assert_eq!(diags[0]["code"], "unknown-step");
    still_answers(&mut client, &uri);
    assert!(client.shutdown().success());
}

#[test]
fn a_thousand_rapid_edits_coalesce() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start(dir.path());
    // Big enough that linting one version takes longer than sending every edit.
    let body = "  echo 'line'\n".repeat(3_000);
    client.open(&uri, "jenkinsfile", &format!("node {{\n{body}}}\n"));
    client.diagnostics(&uri, Some(1));
    let before = client.published;
    let started = Instant::now();
    for (version, width) in (2..=1001_i64).zip(2..) {
        let typo = if version == 1001 { "shh" } else { "echo" };
        let text = format!("node {{\n{body}  {typo} '{}'\n}}\n", "x".repeat(width % 50));
        client.change_all(&uri, version, &text);
    }
    let last = client.diagnostics(&uri, Some(1001));
    let elapsed = started.elapsed();
    let codes: Vec<&str> = last.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown-step"]);
    let published = client.published - before;
    crate::lsp_client::say(&format!(
        "1,000 edits of a 3,000-line file: {published} publications, the last after {elapsed:?}"
    ));
    assert!(
        published < 100,
        "{published} publications for 1,000 edits: not coalesced"
    );
    still_answers(&mut client, &uri);
    assert!(client.shutdown().success());
}

#[test]
fn memory_with_twenty_open_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    let stage = |i: usize| {
        format!(
            "    stage('s{i}') {{\n      steps {{\n        sh 'make test'\n        echo \"done ${{env.BUILD_NUMBER}}\"\n      }}\n    }}\n"
        )
    };
    // Twenty documents of about 1,000 lines each.
    let text: String = std::iter::once("pipeline {\n  agent any\n  stages {\n".to_owned())
        .chain((0..166).map(stage))
        .chain(std::iter::once("  }\n}\n".to_owned()))
        .collect();
    let idle = client.rss_kb();
    for n in 0..20 {
        let uri = uri(&dir.path().join(format!("Jenkinsfile.{n}")));
        client.open(&uri, "jenkinsfile", &text);
        assert!(client.diagnostics(&uri, Some(1)).is_empty());
    }
    let busy = client.rss_kb();
    crate::lsp_client::say(&format!(
        "RSS: {idle:?} kB after initialize, {busy:?} kB with 20 open 1,000-line documents"
    ));
    // The figure is reported, not asserted (`tests/lsp_memory.rs` measures it on the corpus);
    // the server must still answer.
    still_answers(&mut client, &uri(&dir.path().join("Jenkinsfile.0")));
    assert!(client.shutdown().success());
}

#[test]
fn hover_is_answered_while_a_long_document_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start(dir.path());
    let stage = "    stage('s') {\n      steps {\n        sh 'make test'\n        echo \"done ${env.BUILD_NUMBER}\"\n      }\n    }\n";
    let mut text = String::from("pipeline {\n  agent any\n  stages {\n");
    while text.len() < 190 * 1024 {
        text.push_str(stage);
    }
    text.push_str("  }\n}\n");
    client.open(&uri, "jenkinsfile", &text);
    let opened = Instant::now();
    client.diagnostics(&uri, Some(1));
    let lint = opened.elapsed();
    client.change_all(&uri, 2, &text.replace("make test", "make tests"));
    // The edit is being linted (it took `lint` the first time); a hover sent now is answered
    // before that lint ends, so before the version's diagnostics are published.
    std::thread::sleep(lint / 4);
    let before = client.published;
    let started = Instant::now();
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 9}}),
    );
    let waited = started.elapsed();
    crate::lsp_client::say(&format!(
        "190 KiB document: lint {lint:?}, hover during the next lint after {waited:?}"
    ));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("sh(String script")
    );
    assert_eq!(client.published, before, "the hover waited for the lint");
    // The edit's diagnostics still follow (the file's duplicate stage names).
    let diags = client.diagnostics(&uri, Some(2));
    assert!(
        diags.iter().all(|d| d["code"] != "unknown-step"),
        "{diags:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn wire_garbage_is_refused_and_the_server_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start(dir.path());
    // A truncated body (no id can be read from it): a ParseError with a `null` id.
    client.send_raw(r#"{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hov"#);
    let parse_error = |m: &Value| m["error"]["code"] == -32700;
    let refused = client.wait("the ParseError", parse_error);
    assert_eq!(refused["id"], Value::Null, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("not JSON: "),
        "{refused}"
    );
    // JSON, but no JSON-RPC message: InvalidRequest.
    client.send_raw(r#"{"id": 78, "hello": "world"}"#);
    let invalid = client.wait("the InvalidRequest", |m| m["id"] == 78);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    // Not JSON either (an empty body is none): ParseErrors.
    client.send_raw("[1, 2");
    client.send_raw("");
    for _ in 0..2 {
        let refused = client.wait("the ParseError", parse_error);
        assert_eq!(refused["id"], Value::Null, "{refused}");
    }
    // A lone surrogate in the text: the document still opens, with U+FFFD in its place.
    let open = format!(
        r#"{{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {{"textDocument": {{"uri": "{uri}", "languageId": "jenkinsfile", "version": 1, "text": "node {{ shh 'a\ud800' }}\n"}}}}}}"#
    );
    client.send_raw(&open);
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(diags[0]["code"], "unknown-step", "{diags:?}");
    still_answers(&mut client, &uri);
    assert!(client.shutdown().success());
}

#[test]
fn end_of_input_before_initialize_exits_quietly_with_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jenkinsfile"))
        .arg("lsp")
        .env("XDG_CACHE_HOME", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_uri_that_is_not_percent_encoded_is_logged_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let mut client = Client::start_logging(dir.path(), &log);
    client.open(
        "file:///a b/Jenkinsfile",
        "jenkinsfile",
        "node { shh 'x' }\n",
    );
    // Still serving: a well-formed document is linted.
    let good = uri(&dir.path().join("Jenkinsfile"));
    client.open(&good, "jenkinsfile", "node { shh 'x' }\n");
    assert_eq!(
        client.diagnostics(&good, Some(1))[0]["code"],
        "unknown-step"
    );
    assert!(client.shutdown().success());
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("jenkinsfile lsp: ignored textDocument/didOpen: "),
        "{log}"
    );
    assert!(!log.contains("ignored textDocument/didOpen: \n"), "{log}");
}

#[test]
fn a_did_open_before_initialized_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri(&dir.path().join("Jenkinsfile"));
    let mut client = Client::start_uninitialized(dir.path());
    client.open(&uri, "jenkinsfile", "pipeline {\n  stages { }\n}\n");
    client.notify("initialized", json!({}));
    let diagnostics = client.diagnostics(&uri, Some(1));
    assert!(
        diagnostics
            .iter()
            .any(|d| d["message"].as_str().is_some_and(|m| m.contains("agent"))),
        "{diagnostics:?}"
    );
    still_answers(&mut client, &uri);
    assert!(client.shutdown().success());
}
