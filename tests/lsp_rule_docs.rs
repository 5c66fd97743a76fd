//! Every diagnostic code the source can report has a documentation page in the repository
//! (`docs/rules/<code>.md`) that the language server links to (`src/lsp/rule_docs.rs`), and
//! no page is left over for a code nothing reports. The codes are read from the source: the
//! registry of lint rules, and every kebab-case literal passed as a code to a diagnostic
//! constructor (`error("…"`, `Diagnostic::new("…"`, miette's `code("…")`, the validator's
//! `("…", format!(…))` pairs and the server's own `NumberOrString::String("…"`).

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;

use jenkinsfile::lint::RULES;
use jenkinsfile::lsp::rule_docs::{PAGES, page};

/// The folders and files whose diagnostics reach `lint` and the editor.
const SOURCES: &[&str] = &[
    "src/syntax",
    "src/syntax.rs",
    "src/model",
    "src/model.rs",
    "src/lint",
    "src/lint.rs",
    "src/config.rs",
    "src/config",
    "src/lsp",
];

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Every code the source passes to a diagnostic constructor.
fn reported_codes() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let call =
        Regex::new(r#"\b(?:error|warning|new|code|String)\(\s*"([a-z]+(?:-[a-z0-9]+)+)""#).unwrap();
    let pair = Regex::new(r#"\(\s*"([a-z]+(?:-[a-z0-9]+)+)",\s*format!"#).unwrap();
    let mut files = Vec::new();
    for source in SOURCES {
        rust_files(&root.join(source), &mut files);
    }
    let mut codes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for re in [&call, &pair] {
            codes.extend(re.captures_iter(&text).map(|c| c[1].to_owned()));
        }
    }
    // Names passed to these functions that are not codes: the parser's own thread name and
    // the printer's heads.
    for not_a_code in ["jenkinsfile-parse", "for-in", "method-ptr", "tuple-assign"] {
        codes.remove(not_a_code);
    }
    codes.extend(RULES.iter().map(|r| r.code.to_owned()));
    codes
}

#[test]
fn every_reported_code_has_a_page_the_server_links_to() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let codes = reported_codes();
    // The scan must find the validator's codes, not only the rules.
    for known in [
        "missing-agent",
        "undefined-section",
        "syntax-error",
        "unknown-step",
    ] {
        assert!(codes.contains(known), "the scan missed `{known}`");
    }
    let mut missing = Vec::new();
    for code in &codes {
        let file = root.join("docs/rules").join(format!("{code}.md"));
        let in_repo = std::fs::read_to_string(&file).ok();
        if in_repo.is_none() || page(code) != in_repo.as_deref() {
            missing.push(code.as_str());
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a page in docs/rules/ built into src/lsp/rule_docs.rs: {missing:?}"
    );
    let orphans: Vec<&str> = PAGES
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !codes.contains(*c))
        .collect();
    assert!(
        orphans.is_empty(),
        "pages for codes nothing reports: {orphans:?}"
    );
    let files: BTreeSet<String> = std::fs::read_dir(root.join("docs/rules"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            Some(name.strip_suffix(".md")?.to_owned())
        })
        .collect();
    let listed: BTreeSet<String> = PAGES.iter().map(|(c, _)| (*c).to_owned()).collect();
    assert_eq!(files, listed, "docs/rules/ and PAGES disagree");
}
