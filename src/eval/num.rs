//! Groovy's numeric tower (`NumberMath`): `Integer` < `Long` < `BigInteger` < `BigDecimal`,
//! with `Float`/`Double` taking over as soon as one side is floating. `int` and `long`
//! arithmetic wraps like Java's; `/` on integers gives a `BigDecimal`.

use std::cmp::Ordering;

use super::decimal::Dec;
use super::value::Value;

/// Why an arithmetic operation has no result.
#[derive(Debug, Clone, PartialEq)]
pub enum NumError {
    /// `java.lang.ArithmeticException` with this message.
    Arithmetic(&'static str),
    /// A number beyond the 128 bits this implementation keeps.
    TooLarge,
    /// An operand is not a number.
    NotNumber,
}

/// A number normalised for arithmetic.
#[derive(Clone, Copy, Debug)]
enum N {
    I(i32),
    L(i64),
    B(i128),
    D(Dec),
    F(f64),
}

fn n(v: &Value) -> Option<N> {
    Some(match v {
        Value::Int(i) => N::I(*i),
        Value::Long(i) => N::L(*i),
        Value::BigInt(i) => N::B(*i),
        Value::Dec(d) => N::D(*d),
        Value::Double(d) => N::F(*d),
        Value::Float(f) => N::F(f64::from(*f)),
        _ => return None,
    })
}

fn rank(x: N) -> u8 {
    match x {
        N::I(_) => 0,
        N::L(_) => 1,
        N::B(_) => 2,
        N::D(_) => 3,
        N::F(_) => 4,
    }
}

fn to_i128(x: N) -> i128 {
    match x {
        N::I(i) => i128::from(i),
        N::L(i) => i128::from(i),
        N::B(i) => i,
        N::D(d) => d.trunc(),
        N::F(f) => f as i128,
    }
}

fn to_dec(x: N) -> Dec {
    match x {
        N::D(d) => d,
        N::F(f) => Dec::parse(&format!("{f:?}")).unwrap_or(Dec::from_int(0)),
        other => Dec::from_int(to_i128(other)),
    }
}

/// The value as `f64`, for floating arithmetic and `Math` methods.
#[must_use]
pub fn to_f64(v: &Value) -> Option<f64> {
    n(v).map(f64_of)
}

fn f64_of(x: N) -> f64 {
    match x {
        N::I(i) => f64::from(i),
        N::L(i) => i as f64,
        N::B(i) => i as f64,
        N::D(d) => d.to_f64(),
        N::F(f) => f,
    }
}

/// A `BigInteger` result narrowed back to the smallest of `Integer`, `Long`, `BigInteger`
/// that is at least `min_rank` (Groovy's `power` does this).
fn narrow(v: i128, min_rank: u8) -> Value {
    if min_rank == 0
        && let Ok(i) = i32::try_from(v)
    {
        return Value::Int(i);
    }
    if min_rank <= 1
        && let Ok(i) = i64::try_from(v)
    {
        return Value::Long(i);
    }
    Value::BigInt(v)
}

fn dec(d: Option<Dec>) -> Result<Value, NumError> {
    d.map(Value::Dec).ok_or(NumError::TooLarge)
}

fn big(d: Option<i128>) -> Result<Value, NumError> {
    d.map(Value::BigInt).ok_or(NumError::TooLarge)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    IntDiv,
    Power,
}

/// `a op b` for two numbers.
#[allow(clippy::many_single_char_names)]
pub fn arith(op: Op, a: &Value, b: &Value) -> Result<Value, NumError> {
    let (x, y) = (
        n(a).ok_or(NumError::NotNumber)?,
        n(b).ok_or(NumError::NotNumber)?,
    );
    if op == Op::Power {
        return power(x, y);
    }
    let r = rank(x).max(rank(y));
    if op == Op::Div && r < 3 {
        return dec(to_dec(x).checked_div(to_dec(y))).map_err(|_| {
            if to_i128(y) == 0 {
                NumError::Arithmetic("Division by zero")
            } else {
                NumError::TooLarge
            }
        });
    }
    if op == Op::IntDiv {
        if r >= 3 {
            return Err(NumError::NotNumber);
        }
        let (a, b) = (to_i128(x), to_i128(y));
        if b == 0 {
            return Err(NumError::Arithmetic("/ by zero"));
        }
        return Ok(narrow(a / b, r));
    }
    match r {
        0 => {
            let (N::I(a), N::I(b)) = (x, y) else {
                unreachable!("rank 0 means two ints")
            };
            Ok(Value::Int(match op {
                Op::Add => a.wrapping_add(b),
                Op::Sub => a.wrapping_sub(b),
                Op::Mul => a.wrapping_mul(b),
                Op::Mod if b == 0 => return Err(NumError::Arithmetic("/ by zero")),
                _ => a.wrapping_rem(b),
            }))
        }
        1 => {
            let (a, b) = (to_i128(x) as i64, to_i128(y) as i64);
            Ok(Value::Long(match op {
                Op::Add => a.wrapping_add(b),
                Op::Sub => a.wrapping_sub(b),
                Op::Mul => a.wrapping_mul(b),
                Op::Mod if b == 0 => return Err(NumError::Arithmetic("/ by zero")),
                _ => a.wrapping_rem(b),
            }))
        }
        2 => {
            let (a, b) = (to_i128(x), to_i128(y));
            match op {
                Op::Add => big(a.checked_add(b)),
                Op::Sub => big(a.checked_sub(b)),
                Op::Mul => big(a.checked_mul(b)),
                _ if b == 0 => Err(NumError::Arithmetic("BigInteger divide by zero")),
                _ => big(a.checked_rem(b)),
            }
        }
        3 => {
            let (a, b) = (to_dec(x), to_dec(y));
            match op {
                Op::Add => dec(a.checked_add(b)),
                Op::Sub => dec(a.checked_sub(b)),
                Op::Mul => dec(a.checked_mul(b)),
                Op::Div if b.is_zero() => Err(NumError::Arithmetic("Division by zero")),
                Op::Div => dec(a.checked_div(b)),
                _ if b.is_zero() => Err(NumError::Arithmetic("Division by zero")),
                _ => dec(a.checked_rem(b)),
            }
        }
        _ => {
            let (a, b) = (f64_of(x), f64_of(y));
            Ok(Value::Double(match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => a / b,
                _ => a % b,
            }))
        }
    }
}

fn power(x: N, y: N) -> Result<Value, NumError> {
    let exp = match y {
        N::I(e) => Some(i64::from(e)),
        N::L(e) => Some(e),
        _ => None,
    };
    match (x, exp) {
        (N::I(_) | N::L(_) | N::B(_), Some(e)) if e >= 0 => {
            let base = to_i128(x);
            let e = u32::try_from(e).map_err(|_| NumError::TooLarge)?;
            let v = base.checked_pow(e).ok_or(NumError::TooLarge)?;
            // `power(Integer, Integer)` gives an Integer when it fits, else a BigInteger
            // (never a Long): `2**31` is a BigInteger.
            if let (N::I(_), N::I(_)) = (x, y) {
                return Ok(i32::try_from(v).map_or(Value::BigInt(v), Value::Int));
            }
            Ok(narrow(v, rank(x)))
        }
        (N::D(d), Some(e)) if e >= 0 => {
            let mut acc = Dec::from_int(1);
            for _ in 0..e {
                acc = acc.checked_mul(d).ok_or(NumError::TooLarge)?;
            }
            Ok(Value::Dec(acc))
        }
        // `power(Number, Number)`: `Math.pow`, narrowed to an Integer or Long when integral.
        _ => {
            let r = f64_of(x).powf(f64_of(y));
            if r.fract() == 0.0 && r.is_finite() {
                if r.abs() <= f64::from(i32::MAX) {
                    return Ok(Value::Int(r as i32));
                }
                if r.abs() < 9.2e18 {
                    return Ok(Value::Long(r as i64));
                }
            }
            Ok(Value::Double(r))
        }
    }
}

/// `-a`.
pub fn negate(a: &Value) -> Result<Value, NumError> {
    Ok(match a {
        Value::Int(i) => Value::Int(i.wrapping_neg()),
        Value::Long(i) => Value::Long(i.wrapping_neg()),
        Value::BigInt(i) => Value::BigInt(-i),
        Value::Dec(d) => Value::Dec(d.checked_neg()),
        Value::Double(d) => Value::Double(-d),
        Value::Float(d) => Value::Float(-d),
        _ => return Err(NumError::NotNumber),
    })
}

/// Numeric `compareTo`.
#[must_use]
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let (x, y) = (n(a)?, n(b)?);
    match rank(x).max(rank(y)) {
        0..=2 => Some(to_i128(x).cmp(&to_i128(y))),
        3 => Some(to_dec(x).cmp_value(to_dec(y))),
        _ => f64_of(x).partial_cmp(&f64_of(y)),
    }
}

/// Bitwise and shift operators on integers.
#[allow(clippy::many_single_char_names)]
pub fn bits(op: &str, a: &Value, b: &Value) -> Result<Value, NumError> {
    let (x, y) = (
        n(a).ok_or(NumError::NotNumber)?,
        n(b).ok_or(NumError::NotNumber)?,
    );
    if rank(x) > 2 || rank(y) > 2 {
        return Err(NumError::NotNumber);
    }
    let r = if op == "<<" || op == ">>" || op == ">>>" {
        rank(x)
    } else {
        rank(x).max(rank(y))
    };
    let (a, b) = (to_i128(x), to_i128(y));
    let v = match (op, r) {
        ("&", _) => a & b,
        ("|", _) => a | b,
        ("^", _) => a ^ b,
        ("<<", 0) => i128::from((a as i32).wrapping_shl(b as u32)),
        ("<<", _) => i128::from((a as i64).wrapping_shl(b as u32)),
        (">>", _) => a >> (b & 127),
        (">>>", 0) => i128::from(((a as i32 as u32) >> (b & 31)) as i32),
        (">>>", _) => i128::from(((a as i64 as u64) >> (b & 63)) as i64),
        _ => return Err(NumError::NotNumber),
    };
    Ok(match r {
        0 => Value::Int(v as i32),
        1 => Value::Long(v as i64),
        _ => Value::BigInt(v),
    })
}

/// Java's `Double.toString`.
#[must_use]
pub fn double_to_string(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    java_float_text(
        (1e-3..1e7).contains(&d.abs()),
        || format!("{d}"),
        || format!("{d:e}"),
    )
}

/// Java's `Float.toString`.
#[must_use]
pub fn float_to_string(f: f32) -> String {
    if f.is_nan() || f.is_infinite() || f == 0.0 {
        return double_to_string(f64::from(f));
    }
    java_float_text(
        (1e-3..1e7).contains(&f.abs()),
        || format!("{f}"),
        || format!("{f:e}"),
    )
}

/// Java's layout of a float's shortest digits: plain with at least one decimal inside
/// [1e-3, 1e7), else `d.dddE±n`. Rust's `{}` and `{:e}` give the same shortest digits.
fn java_float_text(
    plain_range: bool,
    plain: impl FnOnce() -> String,
    scientific: impl FnOnce() -> String,
) -> String {
    if plain_range {
        let s = plain();
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = scientific();
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exp}")
}
