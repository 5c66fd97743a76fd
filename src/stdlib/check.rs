//! Step-argument checks against the catalogue, as Jenkins' Declarative validator makes them
//! (`ModelValidatorImpl.validateElement(ModelASTStep)`): unknown parameter names, then missing
//! required parameters, then literal types; one unnamed argument must have a default
//! parameter to bind to. Messages are Jenkins' own, with Jenkins' position; checks Jenkins
//! does not make (block present, enumerated values) use our own wording.

use super::bind::BindError;
use super::sig::{ParamSig, ParamType, StepKind, StepSig};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Arg, Args, Expr, ExprKind, MapEntry, MapKey, NumberLit};

/// Checks one call of `step`. `call` is the span of the whole call statement (where Jenkins
/// reports missing parameters and argument-shape errors).
#[must_use]
pub fn check_call(step: &StepSig, call: Span, args: &Args, source: &SourceFile) -> Vec<Diagnostic> {
    let mut cx = Cx {
        step,
        source,
        diags: Vec::new(),
    };
    // A spread (`*list`, `*:map`) hides the real arguments: nothing can be said.
    if args.items.iter().any(|a| match a {
        Arg::Spread(_) => true,
        Arg::Named(entry) => matches!(entry.key, MapKey::Spread(_)),
        Arg::Positional(_) => false,
    }) {
        return Vec::new();
    }
    let mut named: Vec<&MapEntry> = Vec::new();
    let mut positional: Vec<&Expr> = Vec::new();
    for arg in &args.items {
        match arg {
            Arg::Named(entry) => named.push(entry),
            Arg::Positional(expr) => positional.push(expr),
            Arg::Spread(_) => {}
        }
    }
    // A lone map literal: Jenkins' DSL reads it as the named arguments, unless it has a
    // `$class` key or the step has one required parameter the map does not name alone
    // (`publishHTML([reportDir: ...])` binds the whole map to `target`).
    if step.kind != StepKind::Method
        && named.is_empty()
        && positional.len() == 1
        && let ExprKind::Map(entries) = &positional[0].node
        && map_is_named_args(step, entries)
    {
        named = entries.iter().collect();
        positional.clear();
    }
    let has_body = !args.closures.is_empty();
    let body_error = if has_body && !step.takes_body {
        Some((BindError::UnexpectedBody, args.closures[0].span))
    } else if !has_body && step.body_required {
        Some((BindError::MissingBody, call))
    } else {
        None
    };
    if let Some((err, at)) = body_error {
        cx.diags
            .push(Diagnostic::error(err.code(), err.message(&step.name), at));
    }
    // Pretending the block is as the step wants it leaves only the arguments' shape to judge.
    match step.bind_positional(positional.len(), !named.is_empty(), step.takes_body) {
        Ok(bound) => cx.unnamed(&bound, &positional),
        Err(err) => {
            let diag = Diagnostic::error(err.code(), err.message(&step.name), call);
            let diag = if err.is_jenkins() {
                cx.jenkins(diag, call)
            } else {
                diag
            };
            cx.diags.push(diag);
            return cx.diags;
        }
    }
    if step.kind != StepKind::Method {
        cx.named(&named, call);
    }
    cx.diags
}

struct Cx<'a> {
    step: &'a StepSig,
    source: &'a SourceFile,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn jenkins(&self, diag: Diagnostic, at: Span) -> Diagnostic {
        let lc = self.source.line_col(at.start as usize);
        diag.with_jenkins(lc.line as u32, lc.column as u32)
    }

    fn unnamed(&mut self, bound: &[&ParamSig], values: &[&Expr]) {
        for (param, value) in bound.iter().zip(values) {
            let named = self.step.kind == StepKind::Method;
            self.value(param, value, !named);
        }
    }

    fn named(&mut self, entries: &[&MapEntry], call: Span) {
        let mut all_known = true;
        for entry in entries {
            let Some(key) = key_name(entry) else {
                continue;
            };
            match self.step.param(key) {
                Some(param) => self.value(param, &entry.value, false),
                None if self.step.open || key == "$class" => {}
                None => {
                    all_known = false;
                    self.unknown(key, key_span(entry));
                }
            }
        }
        // Jenkins looks for missing parameters only when every given name was valid.
        if !all_known || self.step.open {
            return;
        }
        for param in self.step.params.iter().filter(|p| p.required) {
            if !entries
                .iter()
                .any(|e| key_name(e) == Some(param.name.as_str()))
            {
                let msg = format!("Missing required parameter: \"{}\"", param.name);
                let diag = Diagnostic::error("missing-parameter", msg, call)
                    .with_label(format!("`{}` needs `{}`", self.step.name, param.name));
                let diag = self.jenkins(diag, call);
                self.diags.push(diag);
            }
        }
    }

    fn unknown(&mut self, key: &str, span: Span) {
        // Jenkins always names the nearest parameter, however far.
        let nearest = self
            .step
            .params
            .iter()
            .min_by_key(|p| strsim::levenshtein(key, &p.name))
            .map(|p| p.name.as_str());
        let msg = match nearest {
            Some(near) => format!("Invalid parameter \"{key}\", did you mean \"{near}\"?"),
            None => format!("Invalid parameter \"{key}\""),
        };
        let mut diag = Diagnostic::error("unknown-parameter", msg, span)
            .with_label(format!("`{}` has no parameter `{key}`", self.step.name));
        if self.step.params.is_empty() {
            diag = diag.with_help(format!("`{}` takes no parameters", self.step.name));
        } else {
            let names: Vec<&str> = self.step.params.iter().map(|p| p.name.as_str()).collect();
            diag = diag.with_help(format!("parameters: {}", names.join(", ")));
        }
        if nearest.is_some() {
            diag = self.jenkins(diag, span);
        }
        self.diags.push(diag);
    }

    /// Checks a literal argument against its parameter's type and allowed values. Anything
    /// that is not a literal (a `GString`, a variable, a call) is never checked, as in Jenkins.
    fn value(&mut self, param: &ParamSig, value: &Expr, unnamed: bool) {
        let Some(lit) = Literal::of(value) else {
            return;
        };
        if !compatible(&param.ty, &lit) {
            let expected = param.jenkins_type();
            let msg = if unnamed {
                format!(
                    "Expecting \"{expected}\" but got \"{}\" of type {} instead",
                    lit.text, lit.class
                )
            } else {
                format!(
                    "Expecting \"{expected}\" for parameter \"{}\" but got \"{}\" of type {} instead",
                    param.name, lit.text, lit.class
                )
            };
            let diag = Diagnostic::error("wrong-parameter-type", msg, value.span)
                .with_label(format!("`{}` is {}", param.name, param.type_name));
            let diag = self.jenkins(diag, value.span);
            self.diags.push(diag);
            return;
        }
        if lit.class == STRING && !param.values.is_empty() && !param.values.contains(&lit.text) {
            let msg = format!(
                "invalid value `{}` for parameter `{}` of `{}`",
                lit.text, param.name, self.step.name
            );
            let mut diag = Diagnostic::error("invalid-parameter-value", msg, value.span)
                .with_help(format!("expected one of: {}", param.values.join(", ")));
            let close = param.values.iter().find(|v| {
                v.eq_ignore_ascii_case(&lit.text) || strsim::levenshtein(v, &lit.text) <= 2
            });
            if let Some(close) = close {
                diag = diag.with_label(format!("did you mean `{close}`?"));
            }
            self.diags.push(diag);
        }
    }
}

const STRING: &str = "class java.lang.String";

/// A literal argument as Jenkins sees it: its `toString()` and its Java class.
struct Literal {
    text: String,
    class: &'static str,
}

impl Literal {
    fn of(expr: &Expr) -> Option<Literal> {
        let (text, class) = match &expr.node {
            ExprKind::Str(s) => (s.value.clone(), STRING),
            ExprKind::Bool(b) => (b.to_string(), "class java.lang.Boolean"),
            ExprKind::Int(n) => int_literal(n),
            ExprKind::Decimal(n) => (n.digits.clone(), "class java.math.BigDecimal"),
            _ => return None,
        };
        Some(Literal { text, class })
    }
}

fn int_literal(n: &NumberLit) -> (String, &'static str) {
    let value = i64::from_str_radix(&n.digits, n.radix).ok();
    let class = match (n.suffix, value) {
        (Some('L'), _) => "class java.lang.Long",
        (Some('G'), _) | (_, None) => "class java.math.BigInteger",
        (_, Some(v)) if i32::try_from(v).is_ok() => "class java.lang.Integer",
        _ => "class java.lang.Long",
    };
    (
        value.map_or_else(|| n.digits.clone(), |v| v.to_string()),
        class,
    )
}

/// Jenkins' rule: String, Integer and Boolean literals never convert into one another, even
/// though Groovy would; a String never becomes a Map or a List.
fn compatible(ty: &ParamType, lit: &Literal) -> bool {
    let numeric = lit.class.ends_with("Integer") || lit.class.ends_with("Long");
    match ty {
        ParamType::String => lit.class == STRING,
        ParamType::Boolean => lit.class.ends_with("Boolean"),
        ParamType::Int | ParamType::Long => numeric,
        ParamType::Double => numeric || lit.class.ends_with("BigDecimal"),
        ParamType::Map | ParamType::List | ParamType::Closure => false,
        ParamType::Object | ParamType::Other(_) => true,
    }
}

fn map_is_named_args(step: &StepSig, entries: &[MapEntry]) -> bool {
    let keys: Option<Vec<&str>> = entries.iter().map(key_name).collect();
    // A computed key: it cannot be `$class`, so Groovy's own reading applies.
    keys.is_none_or(|keys| step.map_is_named_args(&keys))
}

fn key_name(entry: &MapEntry) -> Option<&str> {
    match &entry.key {
        MapKey::Name(ident) => Some(ident.node.as_str()),
        MapKey::Expr(expr) => match &expr.node {
            ExprKind::Str(s) => Some(s.value.as_str()),
            _ => None,
        },
        MapKey::Spread(_) => None,
    }
}

fn key_span(entry: &MapEntry) -> Span {
    match &entry.key {
        MapKey::Name(ident) => ident.span,
        MapKey::Expr(expr) => expr.span,
        MapKey::Spread(span) => *span,
    }
}
