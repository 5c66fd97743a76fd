//! Binary and unary operators on values, as Groovy dispatches them (`plus`, `minus`,
//! `multiply`, `leftShift`, `isCase`, …). Pure and synchronous: both evaluators share them.

use std::rc::Rc;

use indexmap::IndexMap;

use super::closure::{Closure, ClosureKind};
use super::compare::{compare, equals, spaceship};
use super::flow::{Flow, R};
use super::num::{self, NumError, Op};
use super::object::Object;
use super::regex::{Matcher, Pattern};
use super::text::to_string;
use super::value::{Key, Value};
use crate::syntax::ast::BinaryOp;

fn num_error(e: NumError, op: &str, a: &Value, b: &Value) -> Flow {
    match e {
        NumError::Arithmetic(m) => Flow::exception("java.lang.ArithmeticException", m),
        NumError::Unsupported(m) => Flow::exception("java.lang.UnsupportedOperationException", m),
        NumError::TooLarge => Flow::fatal(
            format!(
                "unsupported: the result of {} {op} {} is beyond what jenkinsfile keeps (a number of about a million digits, a power of 2^24 bits)",
                to_string(a),
                to_string(b)
            ),
            crate::source::Span::default(),
        ),
        NumError::NotNumber => no_method(op_method(op), a, b),
    }
}

fn op_method(op: &str) -> &'static str {
    match op {
        "+" => "plus",
        "-" => "minus",
        "*" => "multiply",
        "/" => "div",
        "%" => "mod",
        "**" => "power",
        "<<" => "leftShift",
        ">>" => "rightShift",
        "&" => "and",
        "|" => "or",
        "^" => "xor",
        _ => "compareTo",
    }
}

/// Groovy's `MissingMethodException` for an operator with unsuitable operands.
#[cold]
#[must_use]
pub fn no_method(method: &str, recv: &Value, arg: &Value) -> Flow {
    Flow::exception(
        "groovy.lang.MissingMethodException",
        format!(
            "No signature of method: {}.{method}() is applicable for argument types: ({}) values: [{}]",
            recv.class_name(),
            arg.class_name(),
            super::text::inspect(arg)
        ),
    )
}

fn arith(op: Op, sym: &str, a: &Value, b: &Value) -> R<Value> {
    num::arith(op, a, b).map_err(|e| num_error(e, sym, a, b))
}

/// `a op b` for every operator except `&&`, `||` (short-circuit, done by the evaluator).
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> R<Value> {
    if let Some(u) = unknown(a, b, op.symbol()) {
        return Ok(u);
    }
    if (matches!(a, Value::Char(_)) || matches!(b, Value::Char(_)))
        && let Some(r) = char_binary(op, a, b)
    {
        return r;
    }
    match op {
        BinaryOp::Add => plus(a, b),
        BinaryOp::Sub => minus(a, b),
        BinaryOp::Mul => multiply(a, b),
        BinaryOp::Div => arith(Op::Div, "/", a, b),
        BinaryOp::Mod => arith(Op::Mod, "%", a, b),
        BinaryOp::Power => arith(Op::Power, "**", a, b),
        BinaryOp::Eq => Ok(Value::Bool(equals(a, b))),
        BinaryOp::Ne => Ok(Value::Bool(!equals(a, b))),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            let ord = compare(a, b).ok_or_else(|| cannot_compare(a, b))?;
            Ok(Value::Bool(match op {
                BinaryOp::Lt => ord.is_lt(),
                BinaryOp::Le => ord.is_le(),
                BinaryOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }))
        }
        // Groovy's operator gives -1/0/1 for strings, where `compareTo` gives the
        // difference of the first differing characters.
        BinaryOp::Cmp => spaceship(a, b)
            .map(|c| match (a, b) {
                (Value::Str(_) | Value::GStr(_), Value::Str(_) | Value::GStr(_)) => c.signum(),
                _ => c,
            })
            .map(Value::Int)
            .ok_or_else(|| cannot_compare(a, b)),
        BinaryOp::In => Ok(Value::Bool(is_case(b, a)?)),
        BinaryOp::Find => {
            let p = pattern_of(b)?;
            let text = to_string(a);
            Ok(Value::Matcher(Rc::new(Matcher::new(p, &text))))
        }
        BinaryOp::Match => {
            let p = pattern_of(b)?;
            if a.is_null() {
                return Ok(Value::Bool(false));
            }
            Ok(Value::Bool(p.matches(&to_string(a))))
        }
        BinaryOp::Shl | BinaryOp::Shr
            if matches!((a, b), (Value::Closure(_), Value::Closure(_))) =>
        {
            Ok(compose(op, a, b))
        }
        BinaryOp::Shl => left_shift(a, b),
        BinaryOp::BitAnd | BinaryOp::BitOr | BinaryOp::BitXor => {
            if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
                return Ok(Value::Bool(match op {
                    BinaryOp::BitAnd => x & y,
                    BinaryOp::BitOr => x | y,
                    _ => x ^ y,
                }));
            }
            num::bits(op.symbol(), a, b).map_err(|e| num_error(e, op.symbol(), a, b))
        }
        BinaryOp::Shr | BinaryOp::UShr => {
            num::bits(op.symbol(), a, b).map_err(|e| num_error(e, op.symbol(), a, b))
        }
        BinaryOp::And => Ok(Value::Bool(a.truthy() && b.truthy())),
        BinaryOp::Or => Ok(Value::Bool(a.truthy() || b.truthy())),
    }
}

/// `f >> g` is `g(f(x))`, `f << g` is `f(g(x))`.
fn compose(op: BinaryOp, a: &Value, b: &Value) -> Value {
    let (Value::Closure(f), Value::Closure(g)) = (a, b) else {
        return Value::Null;
    };
    let (first, then) = if op == BinaryOp::Shr {
        (f.clone(), g.clone())
    } else {
        (g.clone(), f.clone())
    };
    Value::Closure(Rc::new(Closure {
        // Groovy's ComposedClosure has no script-numbered name.
        id: 0,
        kind: ClosureKind::Composed { first, then },
        delegate: std::cell::RefCell::new(None),
    }))
}

/// An operator with an unknown operand has an unknown result (equality too: we cannot know).
fn unknown(a: &Value, b: &Value, sym: &str) -> Option<Value> {
    match (a, b) {
        (Value::Unknown(x), Value::Unknown(y)) => Some(Value::unknown(format!("{x} {sym} {y}"))),
        (Value::Unknown(x), other) => {
            Some(Value::unknown(format!("{x} {sym} {}", to_string(other))))
        }
        (other, Value::Unknown(y)) => {
            Some(Value::unknown(format!("{} {sym} {y}", to_string(other))))
        }
        _ => None,
    }
}

#[cold]
fn cannot_compare(a: &Value, b: &Value) -> Flow {
    Flow::exception(
        "java.lang.IllegalArgumentException",
        format!(
            "Cannot compare {} with value '{}' and {} with value '{}'",
            a.class_name(),
            to_string(a),
            b.class_name(),
            to_string(b)
        ),
    )
}

pub fn pattern_of(v: &Value) -> R<Rc<Pattern>> {
    match v {
        Value::Pattern(p) => Ok(p.clone()),
        other => Pattern::new(&to_string(other))
            .map(Rc::new)
            .map_err(|m| Flow::fatal(m, crate::source::Span::default())),
    }
}

/// A `char` operand: compared with a string as a one-character string, otherwise it counts
/// as its code (`c + 1`, `c < 'B' as char`). A `char` plus a string has no method in Groovy.
fn char_binary(op: BinaryOp, a: &Value, b: &Value) -> Option<R<Value>> {
    let code = |v: &Value| match v {
        Value::Char(c) => Value::Int(*c as i32),
        other => other.clone(),
    };
    let text = |v: &Value| match v {
        Value::Char(c) => Value::string(c.to_string()),
        other => other.clone(),
    };
    let stringy = |v: &Value| matches!(v, Value::Str(_) | Value::GStr(_) | Value::LazyGStr(_));
    let numeric = |v: &Value| matches!(v, Value::Char(_)) || v.is_number();
    match op {
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::Cmp => Some(if stringy(a) || stringy(b) {
            binary(op, &text(a), &text(b))
        } else {
            binary(op, &code(a), &code(b))
        }),
        BinaryOp::Add if stringy(a) => None,
        BinaryOp::Add
        | BinaryOp::Sub
        | BinaryOp::Mul
        | BinaryOp::Div
        | BinaryOp::Mod
        | BinaryOp::Power
        | BinaryOp::BitAnd
        | BinaryOp::BitOr
        | BinaryOp::BitXor => Some(if numeric(a) && numeric(b) {
            binary(op, &code(a), &code(b))
        } else {
            Err(no_method(op_method(op.symbol()), a, b))
        }),
        _ => None,
    }
}

pub fn plus(a: &Value, b: &Value) -> R<Value> {
    if let Value::Range(r) = a {
        // A range is a `List`: `(1..3) + x` is the list plus `x`.
        return plus(&Value::list(r.items()), b);
    }
    match (a, b) {
        (Value::GStr(_), _) => Ok(Value::GStr(std::rc::Rc::from(to_string(a) + &to_string(b)))),
        (Value::Str(_), _) | (_, Value::Str(_) | Value::GStr(_))
            if !matches!(a, Value::List(_)) =>
        {
            Ok(Value::string(to_string(a) + &to_string(b)))
        }
        (Value::List(l), Value::List(r)) => {
            let mut out = l.borrow().clone();
            out.extend(r.borrow().iter().cloned());
            Ok(Value::similar(l, out))
        }
        (Value::List(l), Value::Range(r)) => {
            let mut out = l.borrow().clone();
            out.extend(r.items());
            Ok(Value::similar(l, out))
        }
        (Value::List(l), other) => {
            let mut out = l.borrow().clone();
            out.push(other.clone());
            Ok(Value::similar(l, out))
        }
        (Value::Map(l), Value::Map(r)) => {
            let mut out = l.borrow().clone();
            for (k, v) in r.borrow().iter() {
                out.insert(k.clone(), v.clone());
            }
            Ok(Value::map_of(l.kind(), out))
        }
        _ => arith(Op::Add, "+", a, b),
    }
}

fn minus(a: &Value, b: &Value) -> R<Value> {
    match (a, b) {
        (Value::Str(s) | Value::GStr(s), other) => {
            let pat = to_string(other);
            Ok(Value::string(s.replacen(&pat, "", 1)))
        }
        (Value::List(l), Value::List(_) | Value::Range(_)) => {
            let remove = super::gdk::iter_items(b).unwrap_or_default();
            let out = l
                .borrow()
                .iter()
                .filter(|x| !remove.iter().any(|r| equals(x, r)))
                .cloned()
                .collect();
            Ok(Value::similar(l, out))
        }
        (Value::List(l), other) => {
            let out = l
                .borrow()
                .iter()
                .filter(|x| !equals(x, other))
                .cloned()
                .collect();
            Ok(Value::similar(l, out))
        }
        (Value::Map(l), Value::Map(r)) => {
            let r = r.borrow();
            let out: IndexMap<Key, Value> = l
                .borrow()
                .iter()
                .filter(|(k, v)| !r.get(*k).is_some_and(|w| equals(v, w)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Ok(Value::map_of(l.kind(), out))
        }
        _ => arith(Op::Sub, "-", a, b),
    }
}

fn multiply(a: &Value, b: &Value) -> R<Value> {
    match (a, b) {
        (Value::Str(s) | Value::GStr(s), n) if n.as_i64().is_some() => {
            let count = usize::try_from(n.as_i64().unwrap_or(0)).unwrap_or(0);
            Ok(Value::string(s.repeat(count)))
        }
        (Value::List(l), n) if n.as_i64().is_some() => {
            let count = usize::try_from(n.as_i64().unwrap_or(0)).unwrap_or(0);
            let items = l.borrow();
            let mut out = Vec::with_capacity(items.len() * count);
            for _ in 0..count {
                out.extend(items.iter().cloned());
            }
            Ok(Value::list(out))
        }
        _ => arith(Op::Mul, "*", a, b),
    }
}

fn left_shift(a: &Value, b: &Value) -> R<Value> {
    match a {
        Value::List(l) => {
            l.modify()?.push(b.clone());
            Ok(a.clone())
        }
        Value::Map(m) => {
            if let Value::Map(other) = b {
                let other = other.borrow().clone();
                m.modify()?.extend(other);
            }
            Ok(a.clone())
        }
        Value::Object(o) => match &**o {
            Object::StringBuilder(s) => {
                s.borrow_mut().push_str(&to_string(b));
                Ok(a.clone())
            }
            _ => Err(no_method("leftShift", a, b)),
        },
        Value::Str(_) | Value::GStr(_) => Ok(Value::Object(Rc::new(Object::StringBuilder(
            std::cell::RefCell::new(to_string(a) + &to_string(b)),
        )))),
        _ => num::bits("<<", a, b).map_err(|e| num_error(e, "<<", a, b)),
    }
}

/// `case` matching and `in`: `pattern.isCase(subject)`.
pub fn is_case(pattern: &Value, subject: &Value) -> R<bool> {
    Ok(match pattern {
        Value::List(l) => l
            .borrow()
            .iter()
            .any(|x| super::compare::java_equals(x, subject)),
        Value::Range(r) if r.chars() => match subject {
            Value::Char(c) => Some(*c),
            other => other.as_str().and_then(|s| {
                let mut chars = s.chars();
                chars.next().filter(|_| chars.next().is_none())
            }),
        }
        .is_some_and(|c| r.contains(i64::from(u32::from(c)))),
        Value::Range(r) => match subject.as_i64() {
            Some(i) => r.contains(i),
            None => false,
        },
        Value::Map(m) => m
            .borrow()
            .get(&Key(subject.clone()))
            .is_some_and(Value::truthy),
        Value::Pattern(p) => !subject.is_null() && p.matches(&to_string(subject)),
        Value::Class(name) => super::classes::instance_of(subject, name),
        Value::Str(s) | Value::GStr(s) => match subject {
            Value::Char(c) => s.chars().eq(std::iter::once(*c)),
            other => other.as_str() == Some(&**s),
        },
        _ => equals(pattern, subject),
    })
}

/// `!x`, `-x`, `~x`, `+x`.
pub fn unary(op: crate::syntax::ast::UnaryOp, v: &Value) -> R<Value> {
    use crate::syntax::ast::UnaryOp;
    if let Value::Unknown(o) = v {
        return Ok(Value::unknown(format!("{}{o}", op.symbol())));
    }
    match op {
        UnaryOp::Not => Ok(Value::Bool(!v.truthy())),
        UnaryOp::Neg => num::negate(v).map_err(|_| no_method("negative", v, &Value::Null)),
        UnaryOp::Plus => Ok(v.clone()),
        UnaryOp::BitNot => match v {
            Value::Int(i) => Ok(Value::Int(!i)),
            Value::Long(i) => Ok(Value::Long(!i)),
            Value::Str(s) | Value::GStr(s) => Pattern::new(s)
                .map(|p| Value::Pattern(Rc::new(p)))
                .map_err(|m| Flow::fatal(m, crate::source::Span::default())),
            _ => Err(no_method("bitwiseNegate", v, &Value::Null)),
        },
        UnaryOp::PreInc | UnaryOp::PostInc => step(v, 1),
        UnaryOp::PreDec | UnaryOp::PostDec => step(v, -1),
    }
}

/// `next()`/`previous()` for `++`/`--`.
pub fn step(v: &Value, by: i32) -> R<Value> {
    match v {
        Value::Null if by > 0 => Err(Flow::npe("Cannot invoke method next() on null object")),
        Value::Null => Err(Flow::npe("Cannot invoke method previous() on null object")),
        // `s++` is `s.next()`: the last character moves by one.
        Value::Str(text) | Value::GStr(text) => {
            let mut chars: Vec<char> = text.chars().collect();
            if let Some(last) = chars.last_mut() {
                *last = (*last as u32)
                    .checked_add_signed(by)
                    .and_then(char::from_u32)
                    .unwrap_or(*last);
            }
            Ok(Value::string(chars.into_iter().collect::<String>()))
        }
        _ => arith(Op::Add, "+", v, &Value::Int(by)),
    }
}
