//! The pest parser and the conversion of its errors into `Diagnostic`s. pest's rule names never
//! reach a user: `expected_name` turns each rule into words, `prune` keeps the few that matter,
//! and the recognisers in `mistakes` (helped by the lexical sweep in `scan` and the token
//! reading in `tokens`) name common mistakes outright. All of that runs only after a parse has
//! failed, so valid input pays nothing for it.

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;
use std::sync::{Mutex, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::source::Span;

use scan::Scan;
use tokens::{Found, end_of_file_span, is_word_char, operator_at, token_before};

mod mistakes;
mod scan;
mod tokens;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/jenkinsfile.pest"]
pub(crate) struct GroovyParser;

/// Runs the grammar over a whole file.
pub(crate) fn parse(text: &str) -> Result<Pairs<'_, Rule>, Box<Diagnostic>> {
    GroovyParser::parse(Rule::file, text).map_err(|_| Box::new(detailed_error(text)))
}

/// Parses again with pest's attempt tracking on, which costs time, so only on failure: it is
/// what lets the message name the literal tokens (`}`, `)`) that were expected.
#[cold]
fn detailed_error(text: &str) -> Diagnostic {
    // pest's flag is process-wide: a thread ending its detailed parse must not turn it off
    // under another one still in its own (the other's message would lose its detail), so the
    // flag stays on while any detailed parse runs.
    with_error_detail(|| GroovyParser::parse(Rule::file, text).map(|_| ()))
        .map_or_else(|err| syntax_error(text, &err), |()| disagreed())
}

/// How many threads are in a detailed parse.
static DETAILED: Mutex<usize> = Mutex::new(0);

fn with_error_detail<T>(parse: impl FnOnce() -> T) -> T {
    {
        let mut active = DETAILED.lock().unwrap_or_else(PoisonError::into_inner);
        *active += 1;
        pest::set_error_detail(true);
    }
    let result = parse();
    let mut active = DETAILED.lock().unwrap_or_else(PoisonError::into_inner);
    *active -= 1;
    if *active == 0 {
        pest::set_error_detail(false);
    }
    result
}

/// The input is the same as the failed parse's, so a success cannot happen unless the
/// grammar is non-deterministic.
fn disagreed() -> Diagnostic {
    Diagnostic::error(
        "internal-error",
        "the parser disagreed with itself on this input",
        Span::new(0, 0),
    )
}

/// Where pest stopped and what it would have accepted there, with the lexical sweep of the
/// whole text: what the recognisers in `mistakes` judge from.
struct Failure<'t> {
    text: &'t str,
    pos: usize,
    found: Found,
    /// Readable names of what pest expected, in pest's order, without duplicates.
    expected: Vec<&'static str>,
    scan: Scan,
}

/// Turns pest's "expected one of these rules at this position" into a readable diagnostic:
/// a recogniser for a common mistake if one is sure, else "unexpected X" with the few
/// expectations that matter.
#[cold]
fn syntax_error(text: &str, err: &pest::error::Error<Rule>) -> Diagnostic {
    let mut pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
    .min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    if let ErrorVariant::CustomError { message } = &err.variant {
        // pest's own guard against exhausting the native stack.
        return Diagnostic::error(
            "nesting-too-deep",
            format!("the code is nested too deeply to parse ({message})"),
            Span::new(pos, Found::at(text, pos).end),
        )
        .with_label("nesting gets too deep here")
        .with_help("split the deeply nested expression or block into smaller pieces");
    }
    let failure = Failure {
        text,
        pos,
        found: Found::at(text, pos),
        expected: expected_names(err),
        scan: scan::scan(text, pos),
    };
    mistakes::explain(&failure).unwrap_or_else(|| unexpected(&failure))
}

/// The names of everything pest tried at the failure position.
fn expected_names(err: &pest::error::Error<Rule>) -> Vec<&'static str> {
    let mut expected: Vec<&'static str> = Vec::new();
    let mut add = |name: Option<&'static str>| {
        if let Some(name) = name
            && !expected.contains(&name)
        {
            expected.push(name);
        }
    };
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            add(token_name(&token.to_string()));
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            add(expected_name(*rule));
        }
    }
    expected
}

/// What may start an operand; "an expression" says all of it.
const OPERAND: [&str; 8] = [
    "a string",
    "a name",
    "a number",
    "`(`",
    "`[`",
    "`{`",
    "a closure",
    "an argument",
];

/// What could continue a complete operand: always possible, rarely the point.
const CONTINUATION: [&str; 6] = ["an operator", "`.`", "`(`", "`[`", "`{`", "a closure"];

/// Parts of declarations and calls that matter less than a bracket or separator.
const MINOR: [&str; 7] = [
    "`=`",
    "`<`",
    "`[]`",
    "`->`",
    "a type",
    "a modifier",
    "an annotation",
];

/// Cuts pest's expectations down to the two or three a person would act on.
fn prune(expected: &[&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = expected
        .iter()
        .copied()
        .filter(|e| !matches!(*e, "an escape sequence" | "an interpolation"))
        .collect();
    if out.contains(&"an expression") {
        out.retain(|e| !OPERAND.contains(e));
    } else if out.contains(&"an argument") || out.contains(&"a map entry") {
        out.retain(|e| !OPERAND.contains(e) || *e == "an argument");
    }
    // A bracket, a separator or a kind of operand is what the reader needs; the rest only
    // when nothing else is expected.
    if out
        .iter()
        .any(|e| !CONTINUATION.contains(e) && !MINOR.contains(e))
    {
        out.retain(|e| !CONTINUATION.contains(e) && !MINOR.contains(e));
    }
    if out.len() > 1 {
        out.retain(|e| *e != "`;`");
    }
    out.sort_by_key(|e| {
        [
            "`)`",
            "`]`",
            "`}`",
            "`,`",
            "`:`",
            "`=`",
            "end of file",
            "an expression",
            "a name",
        ]
        .iter()
        .position(|r| r == e)
        .unwrap_or(usize::MAX)
    });
    out.truncate(3);
    out
}

/// "`)`, `,` or an expression".
fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        ["`;`"] => "`;` or a line break".to_string(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The fallback: "unexpected X", labelled with what was expected there.
#[cold]
fn unexpected(f: &Failure<'_>) -> Diagnostic {
    let text = f.text;
    let expected = prune(&f.expected);
    // A label past the last line break is not drawn; show the end of the last line instead.
    let at_eof = f.found.start == text.len();
    let (start, end) = if at_eof {
        end_of_file_span(text)
    } else {
        (f.found.start, f.found.end)
    };
    let mut diag = Diagnostic::error(
        "syntax-error",
        format!("unexpected {}", f.found.desc),
        Span::new(start, end),
    );
    diag = if expected.is_empty() && at_eof {
        diag.with_label("the file ends here")
    } else if expected.is_empty() {
        diag.with_label(format!("{} is not valid here", f.found.desc))
    } else {
        diag.with_label(format!("expected {}", one_of(&expected)))
    };
    if expected == ["an expression"]
        && let Some((s, e)) = token_before(text, f.pos)
        && e <= f.pos
    {
        let before = &text[s..e];
        let key = token_before(text, s)
            .filter(|&(ks, ke)| ke == s && text[ks..ke].starts_with(is_word_char));
        if let (":", Some((ks, _))) = (before, key) {
            diag =
                diag.with_secondary(Span::new(ks, e), format!("`{}` has no value", &text[ks..e]));
        } else if operator_at(before).is_some_and(|op| op.len() == before.len()) || before == "," {
            diag = diag.with_secondary(Span::new(s, e), format!("nothing follows this `{before}`"));
        }
    }
    if at_eof {
        diag = diag.with_help(
            "the file ended inside an unfinished construct; check for an unclosed `{`, `(`, `[` \
             or string",
        );
    }
    diag
}

/// The words for a rule in "expected …" messages; `None` for rules that are never worth naming.
fn expected_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::identifier | Rule::word | Rule::qualified_name | Rule::method_name => "a name",
        Rule::number | Rule::digits | Rule::hex_digits | Rule::binary_digits => "a number",
        Rule::single_string
        | Rule::double_string
        | Rule::triple_single_string
        | Rule::triple_double_string
        | Rule::slashy_string
        | Rule::dollar_slashy_string => "a string",
        Rule::expression
        | Rule::postfix_expression
        | Rule::parenthesized
        | Rule::list_literal
        | Rule::empty_map
        | Rule::new_expression
        | Rule::kw_true
        | Rule::kw_false
        | Rule::kw_null
        | Rule::kw_this
        | Rule::kw_super
        | Rule::primitive_class
        | Rule::pre_inc
        | Rule::pre_dec
        | Rule::negate
        | Rule::unary_plus
        | Rule::not
        | Rule::bit_not
        | Rule::cast => "an expression",
        Rule::closure | Rule::closure_argument => "a closure",
        Rule::block => "`{`",
        Rule::assign_operator
        | Rule::ternary_operator
        | Rule::elvis
        | Rule::or
        | Rule::and
        | Rule::regex_match
        | Rule::regex_find
        | Rule::eq
        | Rule::ne
        | Rule::compare
        | Rule::le
        | Rule::ge
        | Rule::lt
        | Rule::gt
        | Rule::kw_in_op
        | Rule::range_exclusive
        | Rule::range_inclusive
        | Rule::ushr
        | Rule::shr
        | Rule::shl
        | Rule::bit_or
        | Rule::bit_xor
        | Rule::bit_and
        | Rule::add
        | Rule::sub
        | Rule::power
        | Rule::mul
        | Rule::div
        | Rule::rem
        | Rule::post_inc
        | Rule::post_dec
        | Rule::as_type
        | Rule::instanceof_type => "an operator",
        Rule::member | Rule::member_nav => "`.`",
        Rule::call_arguments => "`(`",
        Rule::index => "`[`",
        Rule::escape => "an escape sequence",
        Rule::interpolation => "an interpolation",
        Rule::decl_type | Rule::any_type | Rule::upper_type | Rule::primitive_type => "a type",
        Rule::generics => "`<`",
        Rule::array_dims => "`[]`",
        Rule::parameters | Rule::parameter => "a parameter",
        Rule::named_argument | Rule::spread_argument | Rule::spread_map_argument => "an argument",
        Rule::else_clause | Rule::kw_else => "`else`",
        Rule::catch_clause | Rule::kw_catch => "`catch`",
        Rule::finally_clause | Rule::kw_finally => "`finally`",
        Rule::case_label | Rule::switch_case | Rule::kw_case | Rule::kw_default => {
            "`case` or `default`"
        }
        Rule::kw_in => "`in`",
        Rule::annotation | Rule::annotations => "an annotation",
        Rule::modifier | Rule::modifiers => "a modifier",
        _ => return None,
    })
}

/// The literal tokens worth naming in "expected …"; white space and comment openers are not.
fn token_name(token: &str) -> Option<&'static str> {
    Some(match token {
        "}" => "`}`",
        ")" => "`)`",
        "]" => "`]`",
        "{" => "`{`",
        "(" => "`(`",
        "," => "`,`",
        ":" => "`:`",
        ";" => "`;`",
        "->" => "`->`",
        "=" => "`=`",
        "'" | "\"" | "'''" | "\"\"\"" | "$/" => "a string",
        _ => return None,
    })
}
