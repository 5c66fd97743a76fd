//! Small Groovy programs and what real Groovy 2.4.21 prints for them.

use super::{ScriptFailure, run_groovy};
use crate::source::SourceFile;
use crate::syntax;

fn run(src: &str) -> String {
    let source = SourceFile::new("t.groovy", src);
    let file = syntax::parse(&source).expect("parses");
    let r = run_groovy(&source, &file, "t");
    match r.failure {
        None => r.stdout,
        Some(ScriptFailure::Exception { text, .. }) => format!("{}Caught: {text}\n", r.stdout),
        Some(ScriptFailure::Unsupported { message, .. }) => {
            format!("{}UNSUPPORTED: {message}\n", r.stdout)
        }
    }
}

#[test]
fn prints_numbers_like_groovy() {
    assert_eq!(
        run(
            "println 1/3\nprintln 2**62\nprintln 1e3\nprintln 0.1+0.2\nprintln 1.0d\nprintln 12345678.0d"
        ),
        "0.3333333333\n4611686018427387904\n1E+3\n0.3\n1.0\n1.2345678E7\n"
    );
}
