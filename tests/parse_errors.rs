//! Syntax errors as a user sees them. Every file in `fixtures/parse/invalid/` is a small
//! Jenkinsfile with one mistake, named after it, that Groovy 2.4's own parser rejects too; its
//! rendered report is snapshotted, so a change in position or wording shows up in review.
//! Also: no input, however truncated, makes the parser panic or point outside the text.
//! (Every prefix of every fixture passed once, in about a minute on two cores; the test samples
//! prefixes of the longer files to stay quick.)

use std::fs;
use std::path::{Path, PathBuf};

use jenkinsfile::diagnostic::{RenderStyle, render};
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/parse");

#[test]
fn invalid_fixtures_report_a_readable_error() {
    // A fixture that parses fails the test at the end, so that one regression does not stop
    // the other snapshots from being checked.
    let mut parsed = Vec::new();
    insta::glob!("../fixtures/parse/invalid", "*.Jenkinsfile", |path| {
        let source = read(path);
        match syntax::parse(&source) {
            Ok(_) => parsed.push(source.name),
            Err(diags) => {
                assert!(
                    !diags.is_empty(),
                    "{}: an error without diagnostics",
                    source.name
                );
                insta::assert_snapshot!(render(&diags, &source, RenderStyle::PLAIN));
            }
        }
    });
    assert!(
        parsed.is_empty(),
        "these parse, but Groovy 2.4 rejects them: {parsed:?}"
    );
}

#[test]
fn truncated_input_never_panics_and_spans_stay_in_the_text() {
    let files: Vec<(String, String)> = [
        Path::new(FIXTURES).join("valid"),
        Path::new(FIXTURES).join("invalid"),
    ]
    .iter()
    .flat_map(|dir| jenkinsfiles(dir))
    .map(|path| {
        let source = read(&path);
        (source.name, source.text)
    })
    .collect();
    // Failed parses cost pest several times a successful one, so the files share the cores.
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let files = &files;
    std::thread::scope(|scope| {
        for worker in 0..threads {
            scope.spawn(move || {
                for (name, text) in files.iter().skip(worker).step_by(threads) {
                    for end in cut_points(text) {
                        let source = SourceFile::new(format!("{name}[..{end}]"), &text[..end]);
                        check_spans(&source);
                    }
                }
            });
        }
    });
}

/// The most cut points tried in one file. Every prefix of a 3 KB file takes minutes under
/// pest's backtracking; a fixed pseudo-random spread of this many still cuts inside strings,
/// brackets, comments and operators of every kind.
const MAX_CUTS: usize = 300;

/// Where to truncate `text`: every char boundary of a short text, else `MAX_CUTS` of them
/// picked by a fixed linear congruential sequence, plus the whole text.
fn cut_points(text: &str) -> Vec<usize> {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let mut cuts = if bounds.len() <= MAX_CUTS {
        bounds
    } else {
        let mut x: u64 = text.len() as u64;
        let mut picked: Vec<usize> = (0..MAX_CUTS)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                bounds[usize::try_from(x >> 33).unwrap() % bounds.len()]
            })
            .collect();
        picked.sort_unstable();
        picked.dedup();
        picked
    };
    cuts.push(text.len());
    cuts
}

/// Parses and checks that every span of every diagnostic lies within the text, on char
/// boundaries, and that rendering works.
fn check_spans(source: &SourceFile) {
    let Err(diags) = syntax::parse(source) else {
        return;
    };
    assert!(
        !diags.is_empty(),
        "{}: an error without diagnostics",
        source.name
    );
    let text = &source.text;
    for diag in &diags {
        let spans = std::iter::once(diag.span).chain(diag.secondary.iter().map(|l| l.span));
        for span in spans {
            assert!(
                span.start <= span.end
                    && text.is_char_boundary(span.start as usize)
                    && text.is_char_boundary(span.end as usize),
                "{}: span {span} of `{}` is outside the text (length {}) or splits a character",
                source.name,
                diag.message,
                text.len()
            );
        }
    }
    assert!(!render(&diags, source, RenderStyle::PLAIN).is_empty());
}

fn jenkinsfiles(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Jenkinsfile"))
        .collect();
    paths.sort();
    paths
}

fn read(path: &Path) -> SourceFile {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    SourceFile::new(name, fs::read_to_string(path).unwrap())
}
