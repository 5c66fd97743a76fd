//! Argument lists and values as Jenkins' parser reads them: named, positional or single, and
//! the values it refuses outright (an unquoted `${…}`, an integer beyond 64 bits, a closure
//! passed to a nested method call).

use crate::model::build::{Builder, Call, expr_call};
use crate::model::pipeline::Arguments;
use crate::source::Spanned;
use crate::syntax::ast::{Arg, Expr, ExprKind, MapKey, UnaryOp};

impl<'a> Builder<'a> {
    /// Classifies a call's non-block arguments and checks every value in them.
    pub(crate) fn arguments(&mut self, call: &Call<'a>, nested_closures: bool) -> Arguments {
        let mut named = Vec::new();
        let mut positional = Vec::new();
        for arg in call.plain_args() {
            match arg {
                Arg::Named(entry) => {
                    self.value(&entry.value, nested_closures);
                    let key = match &entry.key {
                        MapKey::Name(id) => Spanned::new(id.node.clone(), id.span),
                        MapKey::Expr(e) => {
                            let text = match &e.node {
                                ExprKind::Str(s) => s.value.clone(),
                                _ => self.text(e.span).to_owned(),
                            };
                            Spanned::new(text, e.span)
                        }
                        MapKey::Spread(span) => Spanned::new("*".to_owned(), *span),
                    };
                    named.push((key, entry.value.clone()));
                }
                Arg::Positional(e) | Arg::Spread(e) => {
                    self.value(e, nested_closures);
                    positional.push(e.clone());
                }
            }
        }
        match (named.is_empty(), positional.len()) {
            (true, 0) => Arguments::None,
            (true, 1) => Arguments::Single(positional.remove(0)),
            (true, _) => Arguments::Positional(positional),
            (false, 0) => Arguments::Named(named),
            (false, _) => Arguments::Mixed { named, positional },
        }
    }

    /// Checks one argument value. `nested_closures` rejects closures passed to nested method
    /// calls (options, triggers, parameters, conditions); steps may pass closures.
    pub(crate) fn value(&mut self, expr: &Expr, nested_closures: bool) {
        match &expr.node {
            ExprKind::MethodCall { .. } if is_bare_dollar_curly(expr) => {
                let text = self.text(expr.span).to_owned();
                self.error(
                    "bare-dollar-curly",
                    format!(
                        "{text} cannot be used as a value directly. Did you mean \"{text}\"? (add quotes)"
                    ),
                    expr.span,
                    expr.span,
                )
                .with_fix_quote(expr.span, &text);
            }
            ExprKind::Int(lit)
                if lit.suffix != Some('G') && big_integer(&lit.digits, lit.radix) =>
            {
                self.big_integer(expr);
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => self.value(operand, nested_closures),
            ExprKind::List(items) => {
                for item in items {
                    self.value(item, nested_closures);
                }
            }
            ExprKind::Map(entries) => {
                for entry in entries {
                    self.value(&entry.value, nested_closures);
                }
            }
            ExprKind::MethodCall { receiver: None, .. } => {
                let Some(call) = expr_call(expr) else { return };
                if nested_closures && call.block().is_some() {
                    self.error(
                        "closure-argument",
                        "Method call arguments",
                        call.block().map_or(expr.span, |(_, span)| span),
                        expr.span,
                    )
                    .label = Some("a closure cannot be passed here".into());
                }
                for arg in call.plain_args() {
                    match arg {
                        Arg::Named(entry) => self.value(&entry.value, nested_closures),
                        Arg::Positional(e) | Arg::Spread(e) => self.value(e, nested_closures),
                    }
                }
            }
            _ => {}
        }
    }

    fn big_integer(&mut self, expr: &Expr) {
        self.error(
            "big-integer",
            "BigIntegers cannot be used as constants in Declarative. The maximum value for an integer is 9,223,372,036,854,775,807 and the minimum value for an integer is -9,223,372,036,854,775,808.",
            expr.span,
            expr.span,
        )
        .label = Some("does not fit in 64 bits".into());
    }
}

trait QuoteFix {
    fn with_fix_quote(&mut self, span: crate::source::Span, text: &str);
}

impl QuoteFix for crate::diagnostic::Diagnostic {
    fn with_fix_quote(&mut self, span: crate::source::Span, text: &str) {
        self.label = Some("an unquoted `${…}` is a closure call, not a string".into());
        self.fix = Some(crate::diagnostic::Fix {
            title: "add quotes".into(),
            edits: vec![crate::diagnostic::TextEdit {
                span,
                replacement: format!("\"{text}\""),
            }],
        });
    }
}

/// `${x}` written without quotes: Groovy reads it as a call of `$` with a closure.
pub(crate) fn is_bare_dollar_curly(expr: &Expr) -> bool {
    expr_call(expr).is_some_and(|c| !c.receiver && c.name.node == "$" && c.block().is_some())
}

/// Whether an integer literal's digits exceed Java's `long`.
fn big_integer(digits: &str, radix: u32) -> bool {
    u64::from_str_radix(digits, radix).map_or(true, |v| v > i64::MAX as u64)
}
