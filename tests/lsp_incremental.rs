//! Incremental edits end to end: random range edits (insertions, deletions, replacements,
//! several per `didChange`, with characters outside the BMP so UTF-16 positions matter) go to
//! a running `jenkinsfile lsp` and to a local copy of the text. After each change the
//! server's diagnostics must equal a fresh lint of the local copy.

use std::fmt::Write as _;

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

/// Small edits of the kind typing makes, and the tokens that change how a fragment parses
/// (quotes, brackets, comment marks, `->`), at any character boundary.
const TYPED: &[&str] = &[
    "x", " ", "1", "\n", "'", "\"", "'''", "\"\"\"", "{", "}", "(", ")", "[", "]", ",", "->", "$",
    "${", "//", "/*", "*/", ";", ".", ":", "=", "def ", "sh 'a'", "{ it }", "é",
];

fn typed_change(text: &mut String, rng: &mut Lcg) {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = at + rng.below(4) * usize::from(rng.below(3) == 0);
    while end > text.len() || !text.is_char_boundary(end) {
        end -= 1;
    }
    let insert = if end > at && rng.below(2) == 0 {
        ""
    } else {
        TYPED[rng.below(TYPED.len())]
    };
    text.replace_range(at..end, insert);
}

/// A declarative file of about 1,000 lines, as `benches/lsp.rs` makes.
fn thousand_lines() -> String {
    let mut text = String::from("pipeline {\n    agent any\n    stages {\n");
    for i in 0..80 {
        write!(
            text,
            "        stage('Step {i}') {{\n            when {{ branch 'main' }}\n            steps {{\n                sh \"make part-${{PART}}\" // part\n                script {{\n                    def out = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()\n                    echo \"built ${{out}}\"\n                    if (out) {{ echo 'y' }} else {{ /* no */ echo 'n' }}\n                }}\n            }}\n            post {{ failure {{ echo 'part {i} failed' }} }}\n        }}\n"
        )
        .unwrap();
    }
    text.push_str("    }\n}\n");
    text
}

/// Texts to edit: the ones above and, when the corpus is present, every seventh real file.
fn edit_bases() -> Vec<String> {
    let mut bases = vec![START.to_owned(), thousand_lines()];
    let root = std::env::var_os("JENKINSFILE_CORPUS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        std::path::PathBuf::from,
    );
    if let Ok(dir) = std::fs::read_dir(root.join("real-world")) {
        let mut paths: Vec<_> = dir.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort();
        bases.extend(
            paths
                .iter()
                .step_by(7)
                .filter_map(|p| std::fs::read_to_string(p).ok()),
        );
    }
    bases
}

/// The editor's reparse of one closure or block must give exactly the tree and the findings a
/// full parse of the new text gives, whatever the edit; and it must actually be used.
#[test]
fn reparsing_a_fragment_equals_a_full_parse() {
    use jenkinsfile::source::SourceFile;
    use jenkinsfile::syntax;

    let options = LintOptions::default();
    let mut rng = Lcg(0xfeed);
    let (mut compared, mut spliced) = (0, 0);
    for base in edit_bases() {
        let mut text = base;
        let mut previous = syntax::parse(&SourceFile::new("Jenkinsfile", text.clone()))
            .ok()
            .map(|file| (text.clone(), file));
        let rounds = if text.len() > 20_000 { 8 } else { 25 };
        for round in 0..rounds {
            if rng.below(6) == 0 {
                random_change(&mut text, &mut rng);
            } else {
                typed_change(&mut text, &mut rng);
            }
            let source = SourceFile::new("Jenkinsfile", text.clone());
            let full = syntax::parse(&source);
            if let Some((old_text, old_file)) = &previous {
                let re = syntax::reparse(old_text, old_file, &source);
                assert_eq!(
                    re.result, full,
                    "round {round}, old text:\n{old_text}\nnew text:\n{text}"
                );
                compared += 1;
                spliced += usize::from(re.spliced);
                // The findings too, through the server's own path, on a few of them.
                if re.spliced && round % 4 == 0 {
                    let uri = "file:///w/Jenkinsfile";
                    let mut doc = Document::new(
                        uri.parse().unwrap(),
                        1,
                        "jenkinsfile".into(),
                        old_text.clone(),
                    );
                    doc.set_analysis(analyse(&doc, &options));
                    doc.apply(
                        2,
                        vec![lsp_types::TextDocumentContentChangeEvent {
                            range: None,
                            range_length: None,
                            text: text.clone(),
                        }],
                    );
                    let fresh =
                        Document::new(uri.parse().unwrap(), 2, "jenkinsfile".into(), text.clone());
                    assert_eq!(
                        analyse(&doc, &options).findings,
                        analyse(&fresh, &options).findings,
                        "findings differ, new text:\n{text}"
                    );
                }
            }
            if let Ok(file) = full {
                previous = Some((text.clone(), file));
            }
        }
    }
    // Most random edits break the file (quotes, braces) and then every later version is
    // compared with the last one that parsed, so few splices happen; seed 0xfeed gives 73 of
    // 1,648. The check is that splicing happens at all and always agrees.
    assert!(
        spliced >= 50,
        "only {spliced} of {compared} reparses reused the tree"
    );
}

/// Found by `tests/lsp_reparse_corpus.rs`: `new String[0]` has arguments the source does not
/// write, at `Span::default()`; the splice moved them with the fragment, a full parse does not.
#[test]
fn unwritten_spans_stay_at_zero_in_a_splice() {
    use jenkinsfile::source::SourceFile;
    use jenkinsfile::syntax;

    let old = "def f() {\n    def a = new String[0]\n    echo 'x'\n}\n";
    let new = old.replace("echo 'x'", "echo 'xy'");
    let old_tree = syntax::parse(&SourceFile::new("Jenkinsfile", old.to_owned())).unwrap();
    let source = SourceFile::new("Jenkinsfile", new.clone());
    let re = syntax::reparse(old, &old_tree, &source);
    assert!(re.spliced, "the edit lies inside the method's block");
    assert_eq!(re.result, syntax::parse(&source));
}
