//! Groovy's numeric tower (`NumberMath`): `Integer` < `Long` < `BigInteger` < `BigDecimal`,
//! with `Float`/`Double` taking over as soon as one side is floating. `int` and `long`
//! arithmetic wraps like Java's; `/` on integers gives a `BigDecimal`.

use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{FromPrimitive, ToPrimitive};

use super::decimal::Dec;
use super::value::Value;

/// Why an arithmetic operation has no result.
#[derive(Debug, Clone, PartialEq)]
pub enum NumError {
    /// `java.lang.ArithmeticException` with this message.
    Arithmetic(&'static str),
    /// `java.lang.UnsupportedOperationException` with this message (Groovy 2.4 has no shifts
    /// on a `BigInteger`).
    Unsupported(String),
    /// A `BigDecimal` or power too large to hold.
    TooLarge,
    /// An operand is not a number.
    NotNumber,
}

/// A number normalised for arithmetic.
#[derive(Clone, Debug)]
enum N {
    I(i32),
    L(i64),
    B(Rc<BigInt>),
    D(Dec),
    F(f64),
}

fn n(v: &Value) -> Option<N> {
    Some(match v {
        Value::Int(i) => N::I(*i),
        Value::Long(i) => N::L(*i),
        Value::BigInt(i) => N::B(i.clone()),
        Value::Dec(d) => N::D(d.clone()),
        Value::Double(d) => N::F(*d),
        Value::Float(f) => N::F(f64::from(*f)),
        _ => return None,
    })
}

fn rank(x: &N) -> u8 {
    match x {
        N::I(_) => 0,
        N::L(_) => 1,
        N::B(_) => 2,
        N::D(_) => 3,
        N::F(_) => 4,
    }
}

/// The integral value of an `Integer` or `Long` (the others are never asked).
fn small(x: &N) -> i64 {
    match x {
        N::I(i) => i64::from(*i),
        N::L(i) => *i,
        _ => 0,
    }
}

/// The value as a `BigInteger`, fractions truncated as `toBigInteger()` does.
fn to_big(x: &N) -> BigInt {
    match x {
        N::I(i) => BigInt::from(*i),
        N::L(i) => BigInt::from(*i),
        N::B(b) => (**b).clone(),
        N::D(d) => d.trunc(),
        N::F(f) => BigInt::from_f64(f.trunc()).unwrap_or_default(),
    }
}

/// The value as a `BigDecimal`.
fn to_dec(x: &N) -> Dec {
    match x {
        N::D(d) => d.clone(),
        N::F(f) => Dec::parse(&format!("{f:?}")).unwrap_or(Dec::from_int(0)),
        N::I(i) => Dec::from_int(*i),
        N::L(i) => Dec::from_int(*i),
        N::B(b) => Dec::from_int((**b).clone()),
    }
}

/// The value as `f64`, for floating arithmetic and `Math` methods.
#[must_use]
pub fn to_f64(v: &Value) -> Option<f64> {
    n(v).as_ref().map(f64_of)
}

fn f64_of(x: &N) -> f64 {
    match x {
        N::I(i) => f64::from(*i),
        N::L(i) => *i as f64,
        N::B(i) => i.to_f64().unwrap_or(f64::NAN),
        N::D(d) => d.to_f64(),
        N::F(f) => *f,
    }
}

/// The low 128 bits of a `BigInteger`, two's complement, as Java's `intValue()` and
/// `longValue()` take their low bits.
#[must_use]
pub fn low_bits(b: &BigInt) -> i128 {
    let bytes = b.to_signed_bytes_le();
    let fill = if b.sign() == Sign::Minus { 0xff } else { 0 };
    let mut low = [fill; 16];
    for (slot, byte) in low.iter_mut().zip(bytes) {
        *slot = byte;
    }
    i128::from_le_bytes(low)
}

/// `new BigInteger(text, radix)`: an optional sign, then digits of the radix only (no
/// underscores or spaces, which the Rust parser would let through).
#[must_use]
pub fn parse_big(text: &str, radix: u32) -> Option<BigInt> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    BigInt::parse_bytes(text.as_bytes(), radix)
}

/// A `BigInteger` result narrowed back to the smallest of `Integer`, `Long`, `BigInteger`
/// that is at least `min_rank` (Groovy's `power` does this).
fn narrow(v: BigInt, min_rank: u8) -> Value {
    if min_rank == 0
        && let Ok(i) = i32::try_from(&v)
    {
        return Value::Int(i);
    }
    if min_rank <= 1
        && let Ok(i) = i64::try_from(&v)
    {
        return Value::Long(i);
    }
    Value::big(v)
}

fn dec(d: Option<Dec>) -> Result<Value, NumError> {
    d.map(Value::Dec).ok_or(NumError::TooLarge)
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
        return power(&x, &y);
    }
    let r = rank(&x).max(rank(&y));
    if op == Op::Div && r < 3 {
        if to_big(&y).sign() == Sign::NoSign {
            return Err(NumError::Arithmetic("Division by zero"));
        }
        return dec(to_dec(&x).checked_div(&to_dec(&y)));
    }
    if op == Op::IntDiv {
        if r >= 3 {
            return Err(NumError::NotNumber);
        }
        if r < 2 {
            let (a, b) = (small(&x), small(&y));
            if b == 0 {
                return Err(NumError::Arithmetic("/ by zero"));
            }
            return Ok(narrow(BigInt::from(i128::from(a) / i128::from(b)), r));
        }
        let (a, b) = (to_big(&x), to_big(&y));
        if b.sign() == Sign::NoSign {
            return Err(NumError::Arithmetic("BigInteger divide by zero"));
        }
        return Ok(Value::big(a / b));
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
            let (a, b) = (small(&x), small(&y));
            Ok(Value::Long(match op {
                Op::Add => a.wrapping_add(b),
                Op::Sub => a.wrapping_sub(b),
                Op::Mul => a.wrapping_mul(b),
                Op::Mod if b == 0 => return Err(NumError::Arithmetic("/ by zero")),
                _ => a.wrapping_rem(b),
            }))
        }
        2 => {
            let (a, b) = (to_big(&x), to_big(&y));
            Ok(Value::big(match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                // `BigInteger.mod`: never negative, and only for a positive modulus.
                _ if b.sign() != Sign::Plus => {
                    return Err(NumError::Arithmetic("BigInteger: modulus not positive"));
                }
                _ => a.mod_floor(&b),
            }))
        }
        3 => {
            let (a, b) = (to_dec(&x), to_dec(&y));
            match op {
                Op::Add => dec(a.checked_add(&b)),
                Op::Sub => dec(a.checked_sub(&b)),
                Op::Mul => dec(a.checked_mul(&b)),
                Op::Div if b.is_zero() => Err(NumError::Arithmetic("Division by zero")),
                Op::Div => dec(a.checked_div(&b)),
                _ if b.is_zero() => Err(NumError::Arithmetic("Division by zero")),
                _ => dec(a.checked_rem(&b)),
            }
        }
        _ => {
            let (a, b) = (f64_of(&x), f64_of(&y));
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

/// The widest power this implementation computes, in bits (Java's own limit is 2^31 bits).
const MAX_POWER_BITS: u64 = 1 << 24;

fn power(x: &N, y: &N) -> Result<Value, NumError> {
    let exp = match y {
        N::I(e) => Some(i64::from(*e)),
        N::L(e) => Some(*e),
        _ => None,
    };
    match (x, exp) {
        (N::I(_) | N::L(_) | N::B(_), Some(e)) if e >= 0 => {
            let base = to_big(x);
            let e = u32::try_from(e).map_err(|_| NumError::TooLarge)?;
            if base.bits().saturating_sub(1).saturating_mul(u64::from(e)) > MAX_POWER_BITS {
                return Err(NumError::TooLarge);
            }
            let v = base.pow(e);
            // `power(Integer, Integer)` gives an Integer when it fits, else a BigInteger
            // (never a Long): `2**31` is a BigInteger.
            if let (N::I(_), N::I(_)) = (x, y) {
                return Ok(i32::try_from(&v).map_or_else(|_| Value::big(v), Value::Int));
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
        Value::BigInt(i) => Value::big(-&**i),
        Value::Dec(d) => Value::Dec(d.neg()),
        Value::Double(d) => Value::Double(-d),
        Value::Float(d) => Value::Float(-d),
        _ => return Err(NumError::NotNumber),
    })
}

/// Numeric `compareTo`.
#[must_use]
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let (x, y) = (n(a)?, n(b)?);
    match rank(&x).max(rank(&y)) {
        0..=1 => Some(small(&x).cmp(&small(&y))),
        2 => Some(to_big(&x).cmp(&to_big(&y))),
        3 => Some(to_dec(&x).cmp_value(&to_dec(&y))),
        _ => f64_of(&x).partial_cmp(&f64_of(&y)),
    }
}

/// Bitwise and shift operators on integers.
#[allow(clippy::many_single_char_names)]
pub fn bits(op: &str, a: &Value, b: &Value) -> Result<Value, NumError> {
    let (x, y) = (
        n(a).ok_or(NumError::NotNumber)?,
        n(b).ok_or(NumError::NotNumber)?,
    );
    if rank(&x) > 2 || rank(&y) > 2 {
        return Err(NumError::NotNumber);
    }
    let shift = op == "<<" || op == ">>" || op == ">>>";
    let r = if shift {
        rank(&x)
    } else {
        rank(&x).max(rank(&y))
    };
    if r == 2 {
        if shift {
            let name = match op {
                "<<" => "leftShift",
                ">>" => "rightShift",
                _ => "rightShiftUnsigned",
            };
            return Err(NumError::Unsupported(format!(
                "Cannot use {name}() on this number type: java.math.BigInteger with value: {}",
                to_big(&x)
            )));
        }
        let (a, b) = (to_big(&x), to_big(&y));
        return Ok(Value::big(match op {
            "&" => a & b,
            "|" => a | b,
            "^" => a ^ b,
            _ => return Err(NumError::NotNumber),
        }));
    }
    let (a, b) = (i128::from(small(&x)), i128::from(small(&y)));
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
    Ok(if r == 0 {
        Value::Int(v as i32)
    } else {
        Value::Long(v as i64)
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
    // Java's `FloatingDecimal` (before JDK 19) gives the smallest subnormal two digits where
    // the shortest form has one.
    if d.abs().to_bits() == 1 {
        return if d < 0.0 { "-4.9E-324" } else { "4.9E-324" }.into();
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

#[cfg(test)]
mod tests {
    use num_bigint::BigInt;

    use super::{Op, arith, low_bits, parse_big};
    use crate::eval::value::Value;

    #[test]
    fn big_integers_keep_every_bit() {
        let two = Value::Int(2);
        let big = arith(Op::Power, &two, &Value::Int(200)).unwrap();
        let Value::BigInt(b) = &big else {
            panic!("2**200 is a BigInteger: {big:?}")
        };
        assert_eq!(b.bits(), 201);
        let back = arith(Op::Sub, &big, &big).unwrap();
        assert!(matches!(&back, Value::BigInt(z) if z.bits() == 0));
    }

    #[test]
    fn low_bits_are_twos_complement() {
        let wide = BigInt::from(1) << 130u32;
        assert_eq!(low_bits(&(wide.clone() + 5)), 5);
        assert_eq!(low_bits(&-(wide + BigInt::from(1))), -1);
    }

    #[test]
    fn parsing_refuses_what_java_refuses() {
        assert_eq!(parse_big("-ff", 16), Some(BigInt::from(-255)));
        assert_eq!(parse_big("+12", 10), Some(BigInt::from(12)));
        assert_eq!(parse_big("1_000", 10), None);
        assert_eq!(parse_big("", 10), None);
        assert_eq!(parse_big("-", 10), None);
        assert_eq!(parse_big(" 1", 10), None);
    }
}
