//! The pest parser and the conversion of its errors into `Diagnostic`s. pest's rule names never
//! reach a user: `expected_name` turns each rule into words.

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;

use crate::diagnostic::Diagnostic;
use crate::source::Span;

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
    pest::set_error_detail(true);
    let result = GroovyParser::parse(Rule::file, text);
    pest::set_error_detail(false);
    match result {
        Err(err) => syntax_error(text, &err),
        // Another thread may have flipped the flag between the two parses; the input is the
        // same, so a success here cannot happen unless the grammar is non-deterministic.
        Ok(_) => Diagnostic::error(
            "internal-error",
            "the parser disagreed with itself on this input",
            Span::new(0, 0),
        ),
    }
}

/// Turns pest's "expected one of these rules at this position" into a readable diagnostic.
#[cold]
fn syntax_error(text: &str, err: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = describe_found(text, pos);
    if let ErrorVariant::CustomError { message } = &err.variant {
        // pest's own guard against exhausting the native stack.
        return Diagnostic::error(
            "nesting-too-deep",
            format!("the code is nested too deeply to parse ({message})"),
            Span::new(pos, next_char_end(text, pos)),
        )
        .with_label("nesting gets too deep here")
        .with_help("split the deeply nested expression or block into smaller pieces");
    }
    let mut expected: Vec<&'static str> = Vec::new();
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            if let Some(name) = token_name(&token.to_string())
                && !expected.contains(&name)
            {
                expected.push(name);
            }
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(name) = expected_name(*rule)
                && !expected.contains(&name)
            {
                expected.push(name);
            }
        }
    }
    let end = next_char_end(text, pos);
    let message = format!("unexpected {found}");
    let mut diag = Diagnostic::error("syntax-error", message, Span::new(pos, end));
    diag = match expected.as_slice() {
        [] => diag.with_label(format!("{found} is not valid here")),
        [one] => diag.with_label(format!("expected {one}")),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"", &[]));
            diag.with_label(format!("expected {} or {last}", rest.join(", ")))
        }
    };
    if let Some(help) = hint(text, pos) {
        diag = diag.with_help(help);
    }
    diag
}

fn next_char_end(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|rest| rest.chars().next())
        .map_or(pos, |c| pos + c.len_utf8())
}

/// Names the token at `pos` the way a person would.
fn describe_found(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n' | '\r') => "end of line".to_string(),
        Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .take(40)
                .collect();
            format!("`{word}`")
        }
        Some(c) if c.is_control() => format!("character U+{:04X}", c as u32),
        Some(c) => format!("`{c}`"),
    }
}

/// A hint for the mistakes people make most, judged from the text around the error.
fn hint(text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..).unwrap_or("");
    if rest.is_empty() {
        return Some(
            "the file ended inside an unfinished construct; check for an unclosed `{`, `(`, `[` or string"
                .to_string(),
        );
    }
    if rest.starts_with("else") {
        return Some("`else` must follow an `if` statement's body".to_string());
    }
    None
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
        | Rule::map_literal
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
        Rule::block => "a block `{ … }`",
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
        Rule::map_entry | Rule::map_key => "a map entry",
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
        "'" => "`'`",
        "\"" => "`\"`",
        "'''" => "`'''`",
        "\"\"\"" => "`\"\"\"`",
        "/$" => "`/$`",
        _ => return None,
    })
}
