//! The tree the parser builds, read as S-expressions. Every file in `fixtures/parse/valid/` is a
//! small hand-written Jenkinsfile named after the constructs it covers, each one accepted by
//! Groovy 2.4's own parser; it must parse without a diagnostic and its dump is snapshotted.
//! Below that, operator precedence and associativity one expression at a time, each expectation
//! checked against what Groovy 2.4.21 computes.

use std::fs;
use std::path::{Path, PathBuf};

use jenkinsfile::diagnostic::{RenderStyle, render};
use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax::{self, print};

const VALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/parse/valid");

fn source(path: &Path) -> SourceFile {
    let name = path.file_name().unwrap().to_string_lossy();
    SourceFile::new(name, fs::read_to_string(path).unwrap())
}

#[test]
fn valid_fixtures_parse_without_diagnostics() {
    let mut paths: Vec<PathBuf> = fs::read_dir(VALID)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Jenkinsfile"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {VALID}");
    let mut failures = String::new();
    for path in &paths {
        let source = source(path);
        if let Err(diags) = syntax::parse(&source) {
            failures.push_str(&render(&diags, &source, RenderStyle::PLAIN));
        }
    }
    assert!(
        failures.is_empty(),
        "every valid fixture must parse, as it does in Groovy 2.4:\n{failures}"
    );
}

#[test]
fn valid_fixtures_parse_to_the_expected_tree() {
    insta::glob!("../fixtures/parse/valid", "*.Jenkinsfile", |path| {
        // A fixture that does not parse fails `valid_fixtures_parse_without_diagnostics`.
        if let Ok(tree) = syntax::parse(&source(path)) {
            insta::assert_snapshot!(print::sexpr(&tree));
        }
    });
}

/// The dump of a one-statement file.
fn tree(text: &str) -> String {
    let source = SourceFile::new("expr.groovy", text);
    match syntax::parse(&source) {
        Ok(file) => print::sexpr(&file).trim_end().to_owned(),
        Err(diags) => panic!(
            "`{text}` must parse:\n{}",
            render(&diags, &source, RenderStyle::PLAIN)
        ),
    }
}

/// Asserts the dump of each expression statement.
fn check(cases: &[(&str, &str)]) {
    for &(text, expected) in cases {
        assert_eq!(tree(text), expected, "the tree of `{text}`");
    }
}

#[test]
fn arithmetic_binds_tighter_than_comparison_and_logic() {
    check(&[
        ("1 + 2 * 3", "(binary + (int 1) (binary * (int 2) (int 3)))"),
        ("a % b * c", "(binary * (binary % (var a) (var b)) (var c))"),
        ("a - b - c", "(binary - (binary - (var a) (var b)) (var c))"),
        (
            "a << 1 + 2",
            "(binary << (var a) (binary + (int 1) (int 2)))",
        ),
        (
            "a >> b >>> c << d",
            "(binary << (binary >>> (binary >> (var a) (var b)) (var c)) (var d))",
        ),
        (
            "a < b == c < d",
            "(binary == (binary < (var a) (var b)) (binary < (var c) (var d)))",
        ),
        (
            "a != b == c",
            "(binary == (binary != (var a) (var b)) (var c))",
        ),
        (
            "a <=> b == 0",
            "(binary == (binary <=> (var a) (var b)) (int 0))",
        ),
        (
            "a & b | c ^ d",
            "(binary | (binary & (var a) (var b)) (binary ^ (var c) (var d)))",
        ),
        (
            "a || b && c",
            "(binary || (var a) (binary && (var b) (var c)))",
        ),
        ("!a && b", "(binary && (unary ! (var a)) (var b))"),
    ]);
}

#[test]
fn power_is_left_associative_and_binds_tighter_than_unary_minus() {
    // Groovy 2.4: `2 ** 3 ** 2` is 64, `-2 ** 2` is -4, `2 ** -1` is 0.5.
    check(&[
        (
            "2 ** 3 ** 2",
            "(binary ** (binary ** (int 2) (int 3)) (int 2))",
        ),
        ("-2 ** 2", "(unary - (binary ** (int 2) (int 2)))"),
        (
            "-2 ** 2 * 3",
            "(binary * (unary - (binary ** (int 2) (int 2))) (int 3))",
        ),
        ("2 ** -1", "(binary ** (int 2) (unary - (int 1)))"),
        ("a * -b", "(binary * (var a) (unary - (var b)))"),
        ("-a.b", "(unary - (prop . (var a) b))"),
        ("~a + b", "(binary + (unary ~ (var a)) (var b))"),
        ("a++ + b", "(binary + (postfix ++ (var a)) (var b))"),
    ]);
}

#[test]
fn regex_operators_bind_looser_than_equality() {
    // Groovy 2.4 puts `=~` and `==~` between `==` and `&`.
    check(&[
        (
            "a == b =~ c",
            "(binary =~ (binary == (var a) (var b)) (var c))",
        ),
        (
            "a & b =~ c",
            "(binary & (var a) (binary =~ (var b) (var c)))",
        ),
        (
            "a =~ b && c",
            "(binary && (binary =~ (var a) (var b)) (var c))",
        ),
        (
            "a ==~ b || c",
            "(binary || (binary ==~ (var a) (var b)) (var c))",
        ),
    ]);
}

#[test]
fn as_instanceof_and_in_bind_at_the_relational_level() {
    // Groovy 2.4: `1 + 2 as String` is "3", `1..3 as List` is [1, 2, 3],
    // `!true instanceof Boolean` is true.
    check(&[
        ("a + b as String", "(as (binary + (var a) (var b)) :String)"),
        ("1..3 as List", "(as (range .. (int 1) (int 3)) :List)"),
        (
            "a + b instanceof Integer",
            "(instanceof (binary + (var a) (var b)) :Integer)",
        ),
        (
            "!true instanceof Boolean",
            "(instanceof (unary ! true) :Boolean)",
        ),
        ("a in b", "(binary in (var a) (var b))"),
        (
            "1 + 2 in list",
            "(binary in (binary + (int 1) (int 2)) (var list))",
        ),
        (
            "a in b && c",
            "(binary && (binary in (var a) (var b)) (var c))",
        ),
    ]);
}

#[test]
fn ranges_bind_at_the_shift_level() {
    check(&[
        ("1..2 + 3", "(range .. (int 1) (binary + (int 2) (int 3)))"),
        (
            "a..<b - 1",
            "(range ..< (var a) (binary - (var b) (int 1)))",
        ),
    ]);
}

#[test]
fn conditionals_and_assignments_are_right_associative() {
    check(&[
        ("a ?: b ?: c", "(elvis (var a) (elvis (var b) (var c)))"),
        (
            "a ? b : c ? d : e",
            "(ternary (var a) (var b) (ternary (var c) (var d) (var e)))",
        ),
        (
            "a ?: b ? c : d",
            "(elvis (var a) (ternary (var b) (var c) (var d)))",
        ),
        (
            "a ? b : c ?: d",
            "(ternary (var a) (var b) (elvis (var c) (var d)))",
        ),
        (
            "a || b ? c : d",
            "(ternary (binary || (var a) (var b)) (var c) (var d))",
        ),
        ("a = b = c", "(assign = (var a) (assign = (var b) (var c)))"),
        (
            "x += y -= 1",
            "(assign += (var x) (assign -= (var y) (int 1)))",
        ),
        ("x = a ?: b", "(assign = (var x) (elvis (var a) (var b)))"),
        (
            "x = a ? b : c",
            "(assign = (var x) (ternary (var a) (var b) (var c)))",
        ),
    ]);
}

#[test]
fn casts_take_a_unary_operand_and_bind_tighter_than_binary_operators() {
    // A class cast cannot start its operand with `-` or `+`: `(Integer) -a` subtracts.
    check(&[
        ("(int) a + b", "(binary + (cast :int (var a)) (var b))"),
        ("(String) a", "(cast :String (var a))"),
        ("(a) - 1", "(binary - (paren (var a)) (int 1))"),
        ("(Integer) -a", "(binary - (paren (var Integer)) (var a))"),
    ]);
}

#[test]
fn a_primitive_cast_may_negate_its_operand() {
    // Groovy 2.4: `(int) -a` is a cast of `-a` (`(int) -2.5` is -2), since `int` is no value.
    check(&[("(int) -a", "(cast :int (unary - (var a)))")]);
}

#[test]
fn a_gstring_name_reference_ends_at_the_next_dollar() {
    // Groovy 2.4.21: `def i=1; def j=2; println "$i$j"` prints `12`, and `"${i}$j.x"` reads
    // the property `x` of `j`.
    check(&[
        (
            r#""$i$j""#,
            "(gstring (interp $ (var i)) (interp $ (var j)))",
        ),
        (
            r#""${i}$j.x""#,
            "(gstring (interp ${} (var i)) (interp $ (prop . (var j) x)))",
        ),
    ]);
}
