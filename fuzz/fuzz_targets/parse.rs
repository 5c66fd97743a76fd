//! Feeds arbitrary bytes through the whole front end: the UTF-8 check, the nesting pre-scan,
//! the grammar, the lowering, then either the `--ast` dump of the tree (which walks all of it,
//! and then drops it) or the miette rendering of the diagnostics (which slices the source at
//! every span, so a span past the end or inside a character fails here).
#![no_main]

use std::hint::black_box;

use jenkinsfile::diagnostic::{RenderStyle, render};
use jenkinsfile::source::{SourceFile, Span};
use jenkinsfile::syntax;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceFile::from_bytes("fuzz.Jenkinsfile".to_owned(), data.to_vec()) else {
        return;
    };
    match syntax::parse(&source) {
        Ok(file) => {
            black_box(syntax::print::sexpr_with_spans(&file));
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "a failed parse must say why");
            for diag in &diags {
                check_span(&source, diag.span);
                for label in &diag.secondary {
                    check_span(&source, label.span);
                }
            }
            let rendered = render(&diags, &source, RenderStyle::PLAIN);
            assert!(!rendered.is_empty());
        }
    }
});

fn check_span(source: &SourceFile, span: Span) {
    let text = &source.text;
    assert!(
        span.start <= span.end && span.end as usize <= text.len(),
        "span {span} out of range for {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "span {span} splits a character"
    );
}
