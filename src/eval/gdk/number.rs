//! Methods on `Integer`, `Long`, `BigDecimal`, `Double` and friends.

use crate::eval::decimal::{Dec, Rounding};
use crate::eval::flow::{Flow, R};
use crate::eval::num::{self, Op};
use crate::eval::value::Value;

fn rounding_necessary() -> Flow {
    Flow::exception("java.lang.ArithmeticException", "Rounding necessary")
}

fn arith(op: Op, a: &Value, b: &Value) -> R<Value> {
    num::arith(op, a, b).map_err(|e| match e {
        num::NumError::Arithmetic(m) => Flow::exception("java.lang.ArithmeticException", m),
        _ => crate::eval::ops::no_method("intdiv", a, b),
    })
}

pub(super) fn call(v: &Value, name: &str, args: &[Value]) -> Option<R<Value>> {
    let f = num::to_f64(v)?;
    Some(Ok(match (name, args) {
        ("intdiv", [o]) => return Some(arith(Op::IntDiv, v, o)),
        ("add", [o]) => return Some(arith(Op::Add, v, o)),
        ("subtract", [o]) => return Some(arith(Op::Sub, v, o)),
        ("pow", [o]) => return Some(arith(Op::Power, v, o)),
        ("shiftLeft" | "shiftRight", [o]) if matches!(v, Value::BigInt(_)) => {
            let (Value::BigInt(big), Some(by)) = (v, o.as_i64()) else {
                return None;
            };
            let bits = usize::try_from(by.unsigned_abs()).ok()?;
            let left = (name == "shiftLeft") == (by >= 0);
            Value::big(if left { &**big << bits } else { &**big >> bits })
        }
        ("plus", [o]) => return Some(arith(Op::Add, v, o)),
        ("minus", [o]) => return Some(arith(Op::Sub, v, o)),
        ("multiply", [o]) => return Some(arith(Op::Mul, v, o)),
        ("div", [o]) => return Some(arith(Op::Div, v, o)),
        ("mod", [o]) => return Some(arith(Op::Mod, v, o)),
        ("power", [o]) => return Some(arith(Op::Power, v, o)),
        ("abs", []) => match v {
            Value::Int(i) => Value::Int(i.wrapping_abs()),
            Value::Long(i) => Value::Long(i.wrapping_abs()),
            Value::BigInt(i) => Value::big(num_traits::Signed::abs(&**i)),
            Value::Dec(d) => Value::Dec(d.abs()),
            Value::Float(x) => Value::Float(x.abs()),
            _ => Value::Double(f.abs()),
        },
        ("toInteger" | "intValue", []) => Value::Int(trunc(v) as i32),
        ("toLong" | "longValue", []) => Value::Long(trunc(v) as i64),
        ("toBigInteger", []) => match v {
            Value::BigInt(_) => v.clone(),
            _ => Value::big(trunc(v)),
        },
        ("toDouble" | "doubleValue", []) => Value::Double(f),
        ("toFloat" | "floatValue", []) => Value::Float(f as f32),
        ("toBigDecimal", []) => match v {
            Value::Dec(_) => v.clone(),
            Value::Double(_) | Value::Float(_) => {
                Value::Dec(Dec::parse(&format!("{f:?}")).unwrap_or(Dec::from_int(0)))
            }
            _ => Value::Dec(Dec::from_int(trunc(v))),
        },
        ("round", []) => match v {
            Value::Float(x) => Value::Int(x.round() as i32),
            Value::Double(_) => Value::Long((f + 0.5).floor() as i64),
            _ => v.clone(),
        },
        ("round", [n]) => {
            let n = n.as_i64()?;
            if let Value::Dec(d) = v {
                Value::Dec(d.with_scale(i32::try_from(n).ok()?)?)
            } else {
                let p = 10f64.powi(i32::try_from(n).ok()?);
                Value::Double((f * p).round() / p)
            }
        }
        ("setScale", [n, mode]) => {
            let Value::Dec(d) = v else { return None };
            let Some(mode) = Rounding::from_name(&crate::eval::text::to_string(mode)) else {
                return Some(Err(Flow::fatal(
                    format!(
                        "unsupported rounding mode {}",
                        crate::eval::text::to_string(mode)
                    ),
                    crate::source::Span::default(),
                )));
            };
            match d.with_scale_round(i32::try_from(n.as_i64()?).ok()?, mode) {
                Some(d) => Value::Dec(d),
                None => return Some(Err(rounding_necessary())),
            }
        }
        ("setScale", [n]) => match v {
            Value::Dec(d) => {
                match d.with_scale_round(i32::try_from(n.as_i64()?).ok()?, Rounding::Unnecessary) {
                    Some(d) => Value::Dec(d),
                    None => return Some(Err(rounding_necessary())),
                }
            }
            _ => return None,
        },
        ("precision", []) => match v {
            Value::Dec(d) => Value::Int(i32::try_from(d.precision()).unwrap_or(i32::MAX)),
            _ => return None,
        },
        ("scale", []) => match v {
            Value::Dec(d) => Value::Int(d.scale),
            _ => return None,
        },
        ("unscaledValue", []) => match v {
            Value::Dec(d) => Value::big((*d.unscaled).clone()),
            _ => return None,
        },
        ("stripTrailingZeros", []) => match v {
            Value::Dec(d) => Value::Dec(d.strip()),
            _ => return None,
        },
        ("toPlainString", []) => match v {
            Value::Dec(d) => Value::string(d.plain()),
            _ => return None,
        },
        ("floor", []) => Value::Double(f.floor()),
        ("ceil", []) => Value::Double(f.ceil()),
        ("next", []) => return Some(arith(Op::Add, v, &Value::Int(1))),
        ("previous", []) => return Some(arith(Op::Sub, v, &Value::Int(1))),
        ("toString", []) => Value::string(crate::eval::text::to_string(v)),
        ("toString", [radix]) if v.as_i64().is_some() || matches!(v, Value::BigInt(_)) => {
            match radix.as_i64().and_then(|r| u32::try_from(r).ok()) {
                Some(r) if (2..=36).contains(&r) => Value::string(in_radix(v, r)),
                _ => Value::string(crate::eval::text::to_string(v)),
            }
        }
        ("isNaN", []) => Value::Bool(f.is_nan()),
        // Java's: the bits of the two's complement form, without the sign bit.
        ("bitLength", []) if matches!(v, Value::BigInt(_)) => {
            let Value::BigInt(b) = v else {
                unreachable!("matched as a BigInteger")
            };
            let bits = if b.sign() == num_bigint::Sign::Minus {
                (b.magnitude().clone() - 1u32).bits()
            } else {
                b.bits()
            };
            Value::Int(i32::try_from(bits).unwrap_or(i32::MAX))
        }
        ("toCharacter", []) => Value::string(
            char::from_u32(trunc(v) as u32)
                .map(String::from)
                .unwrap_or_default(),
        ),
        _ => return None,
    }))
}

/// `Long.toString(n, radix)` / `BigInteger.toString(radix)`: lowercase digits, a leading `-`.
fn in_radix(v: &Value, radix: u32) -> String {
    match v {
        Value::BigInt(b) => b.to_str_radix(radix),
        _ => num_bigint::BigInt::from(trunc(v)).to_str_radix(radix),
    }
}

/// The integral value, a `BigInteger` cut to its low 128 bits (`intValue()` and
/// `longValue()` keep the low bits of those).
fn trunc(v: &Value) -> i128 {
    match v {
        Value::Int(i) => i128::from(*i),
        Value::Long(i) => i128::from(*i),
        Value::BigInt(i) => num::low_bits(i),
        Value::Dec(d) => num::low_bits(&d.trunc()),
        Value::Double(d) => *d as i128,
        Value::Float(d) => *d as i128,
        _ => 0,
    }
}
