use super::{MAX_NESTING, QUOTED_LIMIT, check, looks_like_cast};
use crate::source::Span;

fn hit(text: &str) -> Option<Span> {
    check(text).map(|d| d.span)
}

fn nested(open: &str, levels: usize) -> String {
    open.repeat(levels)
}

#[test]
fn ten_thousand_brackets_stop_at_the_first_past_the_limit() {
    for open in ["(", "[", "{"] {
        let text = nested(open, 10_000);
        assert_eq!(hit(&text), Some(Span::new(500, 501)), "{open}");
    }
    let text = nested("{(", 5_000);
    assert_eq!(hit(&text), Some(Span::new(500, 501)));
}

#[test]
fn the_diagnostic_explains_the_limit() {
    let diag = check(&nested("(", 501)).unwrap();
    assert_eq!(diag.code, "nesting-too-deep");
    assert_eq!(diag.message, "nesting is deeper than 500 levels");
    assert_eq!(diag.label.as_deref(), Some("this bracket opens level 501"));
    assert!(diag.help.unwrap().contains("flatten"));
}

#[test]
fn nested_interpolations_count_as_braces() {
    // `"${` n times: the n-th `${` starts at byte 3n - 2.
    let text = nested("\"${", 10_000);
    let diag = check(&text).unwrap();
    assert_eq!(diag.span, Span::new(1501, 1503));
    assert_eq!(
        diag.label.as_deref(),
        Some("this interpolation opens level 501")
    );
    let text = nested("\"\"\"${", 1_000);
    assert_eq!(hit(&text), Some(Span::new(5 * 500 + 3, 5 * 500 + 5)));
    let text = format!("x = /{}", nested("${ /", 1_000));
    assert_eq!(hit(&text), Some(Span::new(5 + 4 * 500, 5 + 4 * 500 + 2)));
    let text = format!("x = $/{}", nested("${ $/", 1_000));
    assert_eq!(hit(&text), Some(Span::new(6 + 5 * 500, 6 + 5 * 500 + 2)));
}

#[test]
fn depth_at_the_limit_is_fine() {
    let text = format!("{}{}", nested("(", 500), nested(")", 500));
    assert_eq!(hit(&text), None);
    assert_eq!(hit(&nested("[", MAX_NESTING)), None);
    let text = format!("{}{}", nested("\"${", 500), nested("}\"", 500));
    assert_eq!(hit(&text), None);
    // Closed brackets do not add up.
    assert_eq!(hit(&"(a)[b]{c}\"${d}\"".repeat(10_000)), None);
    assert_eq!(hit(""), None);
}

#[test]
fn brackets_in_comments_and_strings_are_ignored() {
    let quoted = [
        "// ((( [[[ {{{\n",
        "/* ((( [[[ {{{\n ((( */",
        "'((( [[[ {{{ \\' ((('",
        "\"((( [[[ {{{ \\\" ((( $x.y $ \"",
        "'''((( \n ''' + '''{{{'''",
        "\"\"\"((( \n [[[ \\\"\"\" \"\"\"",
        "x = /((( [[[ \\/ ((/",
        "x = ~/[^(]*/",
        "x = $/((( / $$ $/ [[[ \n {{{/$",
        "y = \"${ '(((' }\"",
    ];
    for quote in quoted {
        let after = format!("{quote}\n{}", nested("(", 500));
        assert_eq!(hit(&after), None, "{quote:?}");
        let around = format!("{}{quote}\n{}", nested("(", 250), nested("(", 250));
        assert_eq!(hit(&around), None, "{quote:?}");
        let deeper = format!("{quote}\n{}", nested("(", 501));
        assert!(hit(&deeper).is_some(), "{quote:?}");
    }
}

#[test]
fn a_shebang_line_is_skipped() {
    let text = format!("#!/usr/bin/env groovy ((((\n{}", nested("(", 500));
    assert_eq!(hit(&text), None);
}

#[test]
fn unbalanced_text_does_not_accumulate() {
    let text = format!(
        "{}{}",
        "x = '(' + \"[\" + /{/ // (\n/* { */\n".repeat(10_000),
        nested("(", 500)
    );
    assert_eq!(hit(&text), None);
}

#[test]
fn interpolated_code_counts() {
    let text = format!("{}\"${{ ( }}\"", nested("(", 498));
    assert_eq!(hit(&text), None);
    let text = format!("{}\"${{ (( }}\"", nested("(", 498));
    assert_eq!(hit(&text), Some(Span::new(503, 504)));
    // A `}` closes the interpolation and anything left open inside it.
    let text = format!("{}{}", "x = \"${ f( }\" + ".repeat(1_000), nested("(", 500));
    assert_eq!(hit(&text), None);
}

#[test]
fn a_division_is_not_a_slashy_string() {
    let deep = nested("(", 600);
    for before in [
        "a / ",
        "a[0] / ",
        "f() / ",
        "1 / ",
        "a++ / ",
        "x as List<String> / ",
        "x instanceof Map<A, List<B>> / ",
        "'s' / ",
        "(a) / ",
        "a.in / ",
    ] {
        let text = format!("{before}{deep} /");
        assert_eq!(
            hit(&text),
            Some(Span::new(before.len() + 500, before.len() + 501)),
            "{before:?}"
        );
    }
    // Inside parentheses a line break is white space, so the expression goes on.
    let text = format!("(a\n/ {deep} /");
    assert_eq!(hit(&text), Some(Span::new(5 + 499, 5 + 500)));
}

#[test]
fn slashy_strings_start_where_an_operand_may() {
    let inside = "(((( [[[[ {{{{";
    for before in [
        "x = ",
        "f(",
        "[a: ",
        "x ==~ ",
        "x =~ ",
        "~",
        "return ",
        "case ",
        "a in ",
        "a ? ",
        "{ s -> ",
        "a\n",
        "(String) ",
        "(java.util.List<String>[]) ",
        "(int) ",
        "x = a+++",
        "x = ++",
    ] {
        let text = format!("{before}/{inside}/\n{}", nested("(", 499));
        assert_eq!(hit(&text), None, "{before:?}");
    }
}

#[test]
fn deep_brackets_inside_a_string_hit_the_higher_limit() {
    let text = format!("x = '{}'", nested("(", 2_000));
    let diag = check(&text).unwrap();
    assert_eq!(diag.span, Span::new(5 + QUOTED_LIMIT, 6 + QUOTED_LIMIT));
    assert_eq!(diag.label.as_deref(), Some("this bracket opens level 1001"));
    let text = format!("{}// {}", nested("(", 400), nested("(", 700));
    assert_eq!(hit(&text), Some(Span::new(1003, 1004)));
}

#[test]
fn multi_byte_text_keeps_byte_offsets() {
    let text = format!("def é = 'ü(' // ∑\n{}", nested("(", 501));
    let at = text.find("((").unwrap() + 500;
    assert_eq!(hit(&text), Some(Span::new(at, at + 1)));
}

#[test]
fn casts_are_recognised() {
    for yes in [
        "String",
        " java.util.Map<K, V> ",
        "int",
        "int[]",
        "Foo[ ][]",
        "a.B",
    ] {
        assert!(looks_like_cast(yes.as_bytes()), "{yes:?}");
    }
    for no in [
        "a",
        "a.b",
        "A.b",
        "x + 1",
        "",
        "List<String",
        "int<T>",
        "1A",
    ] {
        assert!(!looks_like_cast(no.as_bytes()), "{no:?}");
    }
}

#[test]
fn garbage_never_panics() {
    const ALPHABET: &[&str] = &[
        "(", ")", "[", "]", "{", "}", "\"", "'", "'''", "\"\"\"", "$", "${", "$/", "/$", "/", "//",
        "/*", "*/", "\\", "\n", "\r", " ", "a", "as", "return", "<", ">", "+", "-", "é", "∑", "#!",
        ".", "=", "~",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for round in 0..20_000 {
        let len = next() % if round % 100 == 0 { 3_000 } else { 60 };
        let text: String = (0..len)
            .map(|_| ALPHABET[next() % ALPHABET.len()])
            .collect();
        if let Some(span) = hit(&text) {
            assert!(span.start < span.end && span.end as usize <= text.len());
            assert!(text.is_char_boundary(span.start as usize));
            assert!(text.is_char_boundary(span.end as usize));
        }
        let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
        let _ = check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn a_large_input_stays_linear() {
    // Quadratic behaviour would take minutes here; linear takes milliseconds.
    let text = format!(
        "{}{}{}",
        nested("(", 499),
        "}])x = (Foo) / 2; y = a as T<U> / 3; s = \"${ [1] }\"\n".repeat(50_000),
        nested("]", 100_000)
    );
    assert_eq!(hit(&text), None);
}
