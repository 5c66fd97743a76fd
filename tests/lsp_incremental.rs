//! Incremental edits end to end: random range edits (insertions, deletions, replacements,
//! several per `didChange`, with characters outside the BMP so UTF-16 positions matter) go to
//! a running `jenkinsfile lsp` and to a local copy of the text. After each change the
//! server's diagnostics must equal a fresh lint of the local copy.

use serde_json::{Value, json};

use jenkinsfile::lint::LintOptions;
use jenkinsfile::lsp::analysis::analyse;
use jenkinsfile::lsp::document::Document;
use jenkinsfile::lsp::handlers::diagnostics::{RuleDocs, convert};

use crate::lsp_client::{Client, uri};

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const START: &str = "\
pipeline {
    agent any
    stages {
        stage('Build') {
            steps {
                sh 'make'
                echo \"built ${env.BUILD_NUMBER} \u{1d11e}\"
            }
        }
        stage('Test') {
            steps { sh 'make test' }
            post { failure { echo 'failed' } }
        }
    }
}
";

/// What an edit may insert: pieces of Jenkinsfiles, typos, brackets and wide characters.
const PIECES: &[&str] = &[
    "{",
    "}",
    "\n",
    " ",
    "sh 'x'\n",
    "shh 'y'\n",
    "stage('N') { steps { echo 'n' } }\n",
    "steps {",
    "agent none\n",
    "failur",
    "'",
    "\"${",
    "é",
    "\u{1d11e}",
    "// c\n",
    "stagess",
];

/// The byte offset of an LSP position (UTF-16 columns) in `text`, computed independently of
/// the server's own index.
fn offset(text: &str, line: usize, character: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..]
            .find('\n')
            .map_or(text.len() - start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A random valid position: a line, and a UTF-16 column on a character boundary.
fn position(text: &str, rng: &mut Lcg) -> (usize, usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = rng.below(lines.len());
    let chars: Vec<char> = lines[line].chars().collect();
    let take = rng.below(chars.len() + 1);
    let character = chars[..take].iter().map(|c| c.len_utf16()).sum();
    (line, character)
}

fn pos_json(at: (usize, usize)) -> Value {
    json!({"line": at.0, "character": at.1})
}

/// One random change: its JSON for the server, applied to `text` here.
fn random_change(text: &mut String, rng: &mut Lcg) -> Value {
    let mut a = position(text, rng);
    let mut b = if rng.below(3) == 0 {
        a
    } else {
        position(text, rng)
    };
    if offset(text, b.0, b.1) < offset(text, a.0, a.1) {
        std::mem::swap(&mut a, &mut b);
    }
    // Keep deletions small, so that the text does not collapse.
    let (start, mut end) = (offset(text, a.0, a.1), offset(text, b.0, b.1));
    if end - start > 40 {
        b = a;
        end = start;
    }
    let insert = if rng.below(4) == 0 {
        ""
    } else {
        PIECES[rng.below(PIECES.len())]
    };
    text.replace_range(start..end, insert);
    json!({"range": {"start": pos_json(a), "end": pos_json(b)}, "text": insert})
}

/// The parts of a diagnostic both sides must agree on.
fn key(d: &Value) -> Value {
    json!([d["range"], d["code"], d["severity"], d["message"]])
}

#[test]
fn random_incremental_edits_match_a_fresh_lint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Jenkinsfile");
    let uri = uri(&path);
    let mut client = Client::start(dir.path());
    client.open(&uri, "jenkinsfile", START);
    client.diagnostics(&uri, Some(1));
    let mut text = START.to_owned();
    let mut rng = Lcg(0x5eed);
    let options = LintOptions::default();
    let mut with_findings = 0;
    for version in 2..=150_i64 {
        let changes: Vec<Value> = (0..=rng.below(3))
            .map(|_| random_change(&mut text, &mut rng))
            .collect();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        let got: Vec<Value> = client
            .diagnostics(&uri, Some(version))
            .iter()
            .map(key)
            .collect();
        let local = Document::new(
            uri.parse().unwrap(),
            version as i32,
            "jenkinsfile".into(),
            text.clone(),
        );
        let fresh = convert(
            &local,
            &analyse(&local, &options).findings,
            &RuleDocs::default(),
        );
        let want: Vec<Value> = fresh
            .iter()
            .map(|d| key(&serde_json::to_value(d).unwrap()))
            .collect();
        assert_eq!(got, want, "version {version}, text:\n{text}");
        with_findings += usize::from(!want.is_empty());
    }
    // The edits must have broken the file now and then, or the comparison proved little.
    assert!(
        with_findings > 10,
        "only {with_findings} versions had findings"
    );
    assert!(client.shutdown().success());
}
