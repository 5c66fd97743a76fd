//! Arguments of options, triggers, build parameters and `when` conditions against their
//! catalogued parameter models: unknown names, missing required ones, literal types, arity.

use crate::model::catalogue::{Describable, ParamType, nearest};
use crate::model::pipeline::{Arguments, Name};
use crate::model::validate::Validator;
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, UnaryOp};

/// A literal's Java value as Jenkins prints it, and its class.
pub(crate) struct Literal {
    pub(crate) text: String,
    pub(crate) class: &'static str,
    pub(crate) int: Option<i64>,
}

/// The literal value of a constant expression; `None` for anything evaluated at run time.
pub(crate) fn literal(expr: &Expr) -> Option<Literal> {
    let (text, class, int) = match &expr.node {
        ExprKind::Str(s) => (s.value.clone(), "class java.lang.String", None),
        ExprKind::Bool(b) => (b.to_string(), "class java.lang.Boolean", None),
        ExprKind::Int(n) => {
            let v = i64::from_str_radix(&n.digits, n.radix).ok()?;
            (v.to_string(), int_class(v, n.suffix), Some(v))
        }
        ExprKind::Decimal(n) => (n.digits.clone(), "class java.lang.Double", None),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match &operand.node {
            ExprKind::Int(n) => {
                let v = -i64::from_str_radix(&n.digits, n.radix).ok()?;
                (v.to_string(), int_class(v, n.suffix), Some(v))
            }
            ExprKind::Decimal(n) => (format!("-{}", n.digits), "class java.lang.Double", None),
            _ => return None,
        },
        _ => return None,
    };
    Some(Literal { text, class, int })
}

fn int_class(v: i64, suffix: Option<char>) -> &'static str {
    if suffix == Some('L') || i32::try_from(v).is_err() {
        "class java.lang.Long"
    } else {
        "class java.lang.Integer"
    }
}

fn accepts(ty: ParamType, lit: &Literal) -> bool {
    match ty {
        ParamType::Any => true,
        ParamType::String => lit.class == "class java.lang.String",
        ParamType::Int | ParamType::IntegerObject | ParamType::Long => lit.int.is_some(),
        ParamType::Boolean | ParamType::BooleanObject => lit.class == "class java.lang.Boolean",
    }
}

impl Validator<'_> {
    /// Checks `name(args)` against `desc`. `at` is the whole call, where Jenkins reports
    /// problems that are not about one argument.
    pub(crate) fn describable_args(
        &mut self,
        name: &Name,
        args: &Arguments,
        desc: &Describable,
        at: Span,
    ) {
        match args {
            Arguments::Named(pairs) => {
                let mut unknown = false;
                for (key, _) in pairs {
                    if desc.param(&key.node).is_none() {
                        unknown = true;
                        let close = nearest(&key.node, desc.params.iter().map(|p| p.name.as_str()))
                            .map(|s| crate::model::build::rename_fix(key.span, s));
                        let guess = nearest(&key.node, desc.params.iter().map(|p| p.name.as_str()))
                            .or_else(|| desc.params.first().map(|p| p.name.as_str()))
                            .unwrap_or_default()
                            .to_owned();
                        let valid: Vec<&str> =
                            desc.params.iter().map(|p| p.name.as_str()).collect();
                        self.error(
                            "unknown-parameter",
                            format!(
                                "Invalid parameter \"{}\", did you mean \"{guess}\"?",
                                key.node
                            ),
                            key.span,
                            key.span,
                        )
                        .help = Some(format!("`{}` takes: {}", name.node, valid.join(", ")));
                        if let Some(last) = self.diags.last_mut() {
                            last.fix = close;
                        }
                    }
                }
                if unknown {
                    return;
                }
                for required in desc.required() {
                    if !pairs.iter().any(|(k, _)| k.node == required.name) {
                        self.error(
                            "missing-parameter",
                            format!("Missing required parameter: \"{}\"", required.name),
                            name.span,
                            at,
                        )
                        .label = Some(format!("`{}` needs `{}:`", name.node, required.name));
                    }
                }
                for (key, value) in pairs {
                    let Some(spec) = desc.param(&key.node) else {
                        continue;
                    };
                    if let Some(lit) = literal(value)
                        && !accepts(spec.ty, &lit)
                    {
                        self.error(
                            "wrong-parameter-type",
                            format!(
                                "Expecting \"{}\" for parameter \"{}\" but got \"{}\" of type {} instead",
                                spec.ty, key.node, lit.text, lit.class
                            ),
                            value.span,
                            value.span,
                        );
                    }
                }
            }
            Arguments::Single(value) => {
                let Some(spec) = desc.sole_required().or(match desc.params.as_slice() {
                    [only] => Some(only),
                    _ => None,
                }) else {
                    self.error(
                        "not-single-parameter",
                        "Step does not take a single required parameter - use named parameters instead",
                        value.span,
                        at,
                    );
                    return;
                };
                if let Some(lit) = literal(value)
                    && !accepts(spec.ty, &lit)
                {
                    self.error(
                        "wrong-parameter-type",
                        format!(
                            "Expecting \"{}\" but got \"{}\" of type {} instead",
                            spec.ty, lit.text, lit.class
                        ),
                        value.span,
                        value.span,
                    );
                }
            }
            Arguments::None | Arguments::Positional(_) => {
                let given = match args {
                    Arguments::Positional(v) => v.len(),
                    _ => 0,
                };
                if given > 1 {
                    self.error(
                        "unnamed-arguments",
                        format!("Arguments to \"{}\" must be explicitly named.", name.node),
                        name.span,
                        at,
                    );
                    return;
                }
                let required: Vec<_> = desc.required().collect();
                let optional_flag = matches!(required.as_slice(), [p] if matches!(p.ty, ParamType::Boolean | ParamType::BooleanObject));
                if required.len() != given && !(given == 0 && optional_flag) {
                    self.error(
                        "wrong-argument-count",
                        format!(
                            "\"{}\" should have {} arguments but has {given} arguments instead.",
                            name.node,
                            required.len()
                        ),
                        name.span,
                        at,
                    );
                }
            }
            Arguments::Mixed { .. } => {
                self.error(
                    "mixed-arguments",
                    "Cannot mix named and unnamed arguments",
                    name.span,
                    at,
                );
            }
        }
    }
}
