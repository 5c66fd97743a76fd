//! No input overflows the stack: every way of nesting code 10,000 deep gets the
//! `nesting-too-deep` diagnostic, and long but flat code still parses. Each parse is called,
//! and its tree dropped, on a thread with a small stack (1 MiB, half the default for Rust
//! threads): `syntax::parse` may do its own work on a bigger stack, but the tree comes back to
//! the caller, and dropping it recurses too. A missing bound fails here as a crash rather than
//! passing on the 8 MiB main thread. Also the plain edges of input: non-UTF-8 bytes, an empty
//! file, a file of comments only.

use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;

/// Far past `MAX_NESTING`, and deep enough to overflow any unbounded recursion.
const DEEP: usize = 10_000;

/// The stack every parse here runs on.
const SMALL_STACK: usize = 1024 * 1024;

/// What a parse came to, reduced to something that may cross threads.
#[derive(Debug, PartialEq)]
enum Outcome {
    Parsed,
    /// The codes of the diagnostics, in order.
    Rejected(Vec<&'static str>),
}

/// Parses `text` and drops the result on a fresh thread with a `SMALL_STACK` stack.
fn parse_on_small_stack(text: String) -> Outcome {
    std::thread::Builder::new()
        .name("small-stack parse".into())
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let source = SourceFile::new("deep.Jenkinsfile", text);
            match syntax::parse(&source) {
                Ok(file) => {
                    drop(file);
                    Outcome::Parsed
                }
                Err(diags) => Outcome::Rejected(diags.iter().map(|d| d.code).collect()),
            }
        })
        .expect("spawn a parser thread")
        .join()
        .expect("the parser panicked")
}

/// Asserts that `text` is refused as too deep, with one diagnostic.
#[track_caller]
fn assert_too_deep(text: String) {
    let len = text.len();
    assert_eq!(
        parse_on_small_stack(text),
        Outcome::Rejected(vec!["nesting-too-deep"]),
        "a {len}-byte input nested past the limit"
    );
}

/// `open` `n` times, then `middle`, then `close` `n` times.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    let mut text = open.repeat(n);
    text.push_str(middle);
    text.push_str(&close.repeat(n));
    text
}

#[test]
fn parentheses() {
    assert_too_deep(nest("(", "x", ")", DEEP));
    assert_too_deep(format!("y = {}", nest("(", "x", ")", DEEP)));
}

#[test]
fn brackets() {
    assert_too_deep(format!("y = {}", nest("[", "x", "]", DEEP)));
    assert_too_deep(format!("y = {}", nest("[a: ", "x", "]", DEEP)));
}

#[test]
fn braces() {
    assert_too_deep(nest("{", "x", "}", DEEP));
    assert_too_deep(nest("{\n", "x\n", "}\n", DEEP));
}

#[test]
fn closures() {
    assert_too_deep(nest("foo {\n", "sh 'x'\n", "}\n", DEEP));
    assert_too_deep(nest("stage('s') { steps { ", "echo 'x'", " } }", DEEP / 2));
    assert_too_deep(nest("{ it -> ", "it", " }", DEEP));
}

#[test]
fn gstring_interpolations() {
    assert_too_deep(format!("x = {}", nest("\"${", "y", "}\"", DEEP)));
    assert_too_deep(format!("x = {}", nest("\"\"\"${", "y", "}\"\"\"", DEEP)));
    assert_too_deep(format!("x = {}", nest("\"a${ b + ", "c", " }\"", DEEP)));
}

#[test]
fn unbraced_if_bodies() {
    assert_too_deep(nest("if (x) ", "y()", "", DEEP));
    assert_too_deep(nest("if (x)\n", "y()", "", DEEP));
    assert_too_deep(nest("while (x) ", "y()", "", DEEP));
    assert_too_deep(nest("for (i in x) ", "y()", "", DEEP));
    assert_too_deep(nest("if (x) y() else ", "z()", "", DEEP));
}

#[test]
fn else_if_chains() {
    let chain = |n| nest("if (x) { a() } else ", "{ b() }", "", n);
    assert_too_deep(chain(2_000));
    let newlines = nest("if (x) {\n  a()\n} else ", "{\n  b()\n}\n", "", 2_000);
    assert_too_deep(newlines);
}

#[test]
fn labels() {
    assert_too_deep(nest("a: ", "x()", "", DEEP));
}

#[test]
fn assignment_chains() {
    assert_too_deep(nest("a = ", "a", "", DEEP));
    assert_too_deep(nest("a += ", "a", "", DEEP));
    assert_too_deep(format!("def a = {}a", "a = ".repeat(DEEP)));
}

#[test]
fn prefix_operators() {
    assert_too_deep(nest("!", "x", "", DEEP));
    assert_too_deep(format!("y = {}x", "!".repeat(DEEP)));
    assert_too_deep(nest("- ", "x", "", DEEP));
    assert_too_deep(nest("~", "x", "", DEEP));
    assert_too_deep(nest("(int) ", "x", "", DEEP));
    assert_too_deep(nest("-(", "x", ")", DEEP));
}

#[test]
fn postfix_chains() {
    assert_too_deep(format!("a{}", ".b".repeat(DEEP)));
    assert_too_deep(format!("y = a{}", "?.b".repeat(DEEP)));
    assert_too_deep(format!("a{}", ".b()".repeat(DEEP)));
    assert_too_deep(format!("a{}", "[0]".repeat(DEEP)));
    assert_too_deep(format!("a{}", "()".repeat(DEEP)));
    assert_too_deep(format!("y = x{}", " as int".repeat(DEEP)));
    assert_too_deep(format!("y = x{}", "++".repeat(DEEP)));
}

#[test]
fn binary_operator_chains() {
    assert_too_deep(format!("y = a{}", " + a".repeat(DEEP)));
    assert_too_deep(format!("y = a{}", " ** a".repeat(DEEP)));
    assert_too_deep(format!("y = a{}", " ?: a".repeat(DEEP)));
    assert_too_deep(format!("y = a{}", " &&\n a".repeat(DEEP)));
}

#[test]
fn ternary_chains() {
    assert_too_deep(nest("x ? ", "x", " : y", DEEP));
    assert_too_deep(nest("z = x ? y : ", "w", "", DEEP));
}

#[test]
fn command_chains() {
    assert_too_deep(format!("a b{}", " c d".repeat(DEEP)));
    // `sh sh … sh 'x'` with an even number of words reads as `sh(sh).sh(sh)…sh('x')`.
    assert_too_deep(nest("sh ", "'x'", "", DEEP - 1));
}

#[test]
fn deep_but_plausible_nesting_parses() {
    // Far deeper than any real Jenkinsfile, yet accepted by every phase, and the tree is
    // dropped on the small stack.
    let cases = [
        ("closures", nest("foo {\n", "sh 'x'\n", "}\n", 64)),
        ("stages", nest("stage('s') {\n", "sh 'x'\n", "}\n", 64)),
        ("if blocks", nest("if (x) {\n", "sh 'x'\n", "}\n", 200)),
        ("parentheses", format!("y = {}", nest("(", "x", ")", 200))),
        ("lists", format!("y = {}", nest("[", "x", "]", 200))),
        (
            "interpolations",
            format!("y = {}", nest("\"${", "x", "}\"", 100)),
        ),
        ("else if", nest("if (x) { a() } else ", "{ b() }", "", 400)),
        ("member chain", format!("y = a{}", ".b".repeat(400))),
        ("operators", format!("y = a{}", " + a".repeat(400))),
    ];
    for (name, text) in cases {
        assert_eq!(parse_on_small_stack(text), Outcome::Parsed, "{name}");
    }
}

#[test]
fn long_flat_files_parse() {
    // Length alone is never nesting: many statements, entries and arguments parse.
    let statements = "sh 'make'\necho \"${env.X}\"\n".repeat(DEEP);
    assert_eq!(parse_on_small_stack(statements), Outcome::Parsed);
    let list = format!("x = [{}]", "'a', ".repeat(DEEP));
    assert_eq!(parse_on_small_stack(list), Outcome::Parsed);
    let map = format!("x = [{}]", "a: 1, ".repeat(DEEP));
    assert_eq!(parse_on_small_stack(map), Outcome::Parsed);
    let args = format!("f({}1)", "1, ".repeat(DEEP));
    assert_eq!(parse_on_small_stack(args), Outcome::Parsed);
    // `a {} {} …` passes all the closures to one call.
    let closures = format!("a{}", " {}".repeat(DEEP));
    assert_eq!(parse_on_small_stack(closures), Outcome::Parsed);
    let stages = "stage('s') { steps { sh 'x' } }\n".repeat(DEEP / 4);
    assert_eq!(
        parse_on_small_stack(format!("pipeline {{ stages {{\n{stages}}} }}")),
        Outcome::Parsed
    );
}

#[test]
fn non_utf8_input_is_a_clear_error() {
    let err = SourceFile::from_bytes(
        "bad.Jenkinsfile".into(),
        b"node {\n  sh '\xe9'\n}\n".to_vec(),
    )
    .expect_err("Latin-1 bytes are not UTF-8");
    assert_eq!(
        err.to_string(),
        "`bad.Jenkinsfile` is not UTF-8 text: invalid byte 0xe9 at line 2, column 7"
    );
    let truncated = SourceFile::from_bytes("t".into(), b"echo '\xe2\x82'".to_vec())
        .expect_err("a truncated sequence is not UTF-8");
    assert!(
        truncated
            .to_string()
            .contains("invalid byte 0xe2 at line 1, column 7")
    );
}

#[test]
fn empty_and_comment_only_files_parse() {
    for text in [
        "",
        "\n\n",
        "   \t\n",
        "\u{feff}",
        "// just a comment",
        "// a comment\n/* a block\n comment */\n/** doc */\n",
        "#!/usr/bin/env groovy\n// nothing else\n",
        ";;\n;",
    ] {
        assert_eq!(
            parse_on_small_stack(text.to_owned()),
            Outcome::Parsed,
            "{text:?}"
        );
    }
}

#[test]
fn generic_type_arguments() {
    // Each `<` of a type nests the tree like a bracket, and the printer walks it recursively.
    assert_too_deep(format!("{} x", nest("Map<", "String", ">", DEEP)));
    assert_too_deep(format!("{} x", nest("Map<String, ", "String", ">", DEEP)));
}
