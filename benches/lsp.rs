//! The editor loop's cost: diagnostics after one keystroke in a 1,000-line Jenkinsfile, with
//! no debounce (issue 10's target: under 10 ms). `handler` applies the incremental change and
//! runs the diagnostics handler (lint + conversion to protocol ranges); `server` sends the
//! `didChange` to a running server over an in-memory connection and waits for its
//! `publishDiagnostics`, which adds the message loop and JSON. `kinds_of_edit` times one
//! edit of each kind on the same analysed document: inside a string, a new statement line, a
//! `{}` pair, a lone `{` (the file no longer parses: a full parse that fails) and a full
//! resync. Under `cargo test
//! --all-targets` (no `--bench` argument) criterion runs each once.

use std::fmt::Write as _;
use std::hint::black_box;
use std::str::FromStr;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jenkinsfile::lint::LintOptions;
use jenkinsfile::lsp::analysis::analyse;
use jenkinsfile::lsp::document::Document;
use jenkinsfile::lsp::handlers::diagnostics::{self, RuleDocs};
use jenkinsfile::lsp::serve;
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use serde_json::json;

/// A declarative Jenkinsfile of about 1,000 lines: stages with environment, `when`, steps,
/// `script` blocks and `post`, as real files have.
fn thousand_lines() -> String {
    let mut text = String::from(
        "pipeline {\n    agent any\n    options { timeout(time: 1, unit: 'HOURS') }\n    environment {\n        REGISTRY = 'registry.example.invalid'\n    }\n    stages {\n",
    );
    let mut i = 0;
    while text.lines().count() < 980 {
        let _ = write!(
            text,
            "        stage('Step {i}') {{\n            when {{ branch 'main' }}\n            environment {{ PART = '{i}' }}\n            steps {{\n                sh \"make part-${{PART}}\"\n                script {{\n                    def out = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()\n                    echo \"built ${{out}} for ${{env.BUILD_NUMBER}}\"\n                }}\n            }}\n            post {{ failure {{ echo 'part {i} failed' }} }}\n        }}\n"
        );
        i += 1;
    }
    text.push_str("    }\n    post { always { echo 'done' } }\n}\n");
    text
}

/// The edit a keystroke makes: one character typed in the middle of the file.
fn keystroke(n: u32) -> TextDocumentContentChangeEvent {
    let at = Position::new(500 + n % 2, 0);
    TextDocumentContentChangeEvent {
        range: Some(Range::new(at, at)),
        range_length: None,
        text: " ".into(),
    }
}

fn handler(c: &mut Criterion) {
    let uri = Uri::from_str("file:///bench/Jenkinsfile").unwrap();
    let mut doc = Document::new(uri, 1, "jenkinsfile".into(), thousand_lines());
    let options = LintOptions::default();
    let docs = RuleDocs::default();
    let first = analyse(&doc, &options);
    assert!(first.findings.is_empty(), "the bench file lints clean");
    let source = SourceFile::new("Jenkinsfile", doc.text.clone());
    c.bench_function("lsp/parts: full parse, 1,000 lines", |b| {
        b.iter(|| syntax::parse(black_box(&source)).is_ok());
    });
    c.bench_function(
        "lsp/parts: full analysis (parse, model, lint), 1,000 lines",
        |b| {
            b.iter(|| black_box(analyse(&doc, &options)));
        },
    );
    // The server keeps each analysis, and the next one reparses only what changed.
    doc.set_analysis(first);
    let mut version: i32 = 1;
    c.bench_function("lsp/handler: change + diagnostics, 1,000 lines", |b| {
        b.iter(|| {
            version += 1;
            let change = keystroke(version.unsigned_abs());
            doc.apply(version, vec![change]);
            let analysis = analyse(&doc, &options);
            let out = diagnostics::convert(&doc, &analysis.findings, &docs);
            doc.set_analysis(analysis);
            black_box(out)
        });
    });
}

/// An edit at `(line, character)` inserting `text`.
fn insert(line: u32, character: u32, text: &str) -> TextDocumentContentChangeEvent {
    let at = Position::new(line, character);
    TextDocumentContentChangeEvent {
        range: Some(Range::new(at, at)),
        range_length: None,
        text: text.into(),
    }
}

/// One kind of edit, each time on the analysed 1,000-line document (the copy is made outside
/// the measurement): change applied, analysis (reparse, model, lint) and diagnostics.
fn kinds_of_edit(c: &mut Criterion) {
    let uri = Uri::from_str("file:///bench/Jenkinsfile").unwrap();
    let text = thousand_lines();
    let lines = u32::try_from(text.lines().count()).unwrap();
    let mut base = Document::new(uri, 1, "jenkinsfile".into(), text.clone());
    let options = LintOptions::default();
    let docs = RuleDocs::default();
    base.set_analysis(analyse(&base, &options));
    // Stage 41 starts at line 499: its `steps {` is line 502, `sh "make …"` line 503, the
    // `def out = sh(script: 'git rev-parse HEAD', …)` line 505 (the string from column 42).
    let mut whole = text.clone();
    whole.insert(text.find("stage('Step 41')").unwrap(), ' ');
    let cases = [
        ("a character inside a string", insert(505, 45, "x")),
        (
            "a new statement line",
            insert(503, 0, "                echo 'one more'\n"),
        ),
        (
            "a `{}` pair (editor auto-close) in a new line",
            insert(503, 0, "                dir('out') {}\n"),
        ),
        ("a lone `{` inside a stage", insert(503, 16, "{")),
        ("a lone `{` at the end of the file", insert(lines, 0, "{")),
        (
            "a full resync (whole text, one character changed)",
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: whole,
            },
        ),
    ];
    for (name, change) in cases {
        c.bench_function(&format!("lsp/edit: {name}, 1,000 lines"), |b| {
            b.iter_batched(
                || (base.clone(), change.clone()),
                |(mut doc, change)| {
                    doc.apply(2, vec![change]);
                    let analysis = analyse(&doc, &options);
                    black_box(diagnostics::convert(&doc, &analysis.findings, &docs))
                },
                BatchSize::SmallInput,
            );
        });
    }
}

fn server(c: &mut Criterion) {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || serve(server, RuleDocs::default()));
    let send = |m: Message| client.sender.send(m).unwrap();
    send(
        Request::new(
            RequestId::from(1),
            "initialize".into(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    let _ = client.receiver.recv().unwrap();
    send(Notification::new("initialized".into(), json!({})).into());
    let uri = "file:///bench/Jenkinsfile";
    send(
        Notification::new(
            "textDocument/didOpen".into(),
            json!({"textDocument": {"uri": uri, "languageId": "jenkinsfile", "version": 1, "text": thousand_lines()}}),
        )
        .into(),
    );
    let _ = client.receiver.recv().unwrap();
    let mut version: i32 = 1;
    c.bench_function("lsp/server: didChange to publishDiagnostics, 1,000 lines", |b| {
        b.iter(|| {
            version += 1;
            let line = 500 + version % 2;
            send(
                Notification::new(
                    "textDocument/didChange".into(),
                    json!({"textDocument": {"uri": uri, "version": version},
                           "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": " "}]}),
                )
                .into(),
            );
            black_box(client.receiver.recv().unwrap())
        });
    });
    send(Request::new(RequestId::from(2), "shutdown".into(), json!(null)).into());
    let _ = client.receiver.recv().unwrap();
    send(Notification::new("exit".into(), json!(null)).into());
    assert_eq!(thread.join().unwrap(), Ok(true));
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = handler, kinds_of_edit, server
}
criterion_main!(benches);
