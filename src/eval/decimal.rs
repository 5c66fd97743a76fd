//! `java.math.BigDecimal` as Groovy uses it: an arbitrary-precision unscaled integer and a
//! scale, with Java's `toString` (scientific notation for small or large exponents), its
//! rounding modes, and Groovy's division rule (`BigDecimalMath.divideImpl`).

use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

/// A decimal number `unscaled × 10^-scale`. The unscaled value is shared: values are
/// immutable, and this keeps `Value` small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dec {
    pub unscaled: Rc<BigInt>,
    pub scale: i32,
}

/// `java.math.RoundingMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
    Unnecessary,
}

impl Rounding {
    /// A `RoundingMode` constant's name, or the legacy `BigDecimal.ROUND_*` number.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Rounding> {
        Some(match name.trim_start_matches("ROUND_") {
            "UP" | "0" => Rounding::Up,
            "DOWN" | "1" => Rounding::Down,
            "CEILING" | "2" => Rounding::Ceiling,
            "FLOOR" | "3" => Rounding::Floor,
            "HALF_UP" | "4" => Rounding::HalfUp,
            "HALF_DOWN" | "5" => Rounding::HalfDown,
            "HALF_EVEN" | "6" => Rounding::HalfEven,
            "UNNECESSARY" | "7" => Rounding::Unnecessary,
            _ => return None,
        })
    }
}

/// The extra digits and the scale cap of Groovy's `BigDecimalMath.divideImpl`.
const DIVISION_EXTRA_PRECISION: u64 = 10;
const DIVISION_MAX_SCALE: i32 = 10;

/// The widest unscaled value kept, in bits, so that a runaway power or scale fails plainly
/// rather than exhausting memory (Java's own limit is far beyond any pipeline).
const MAX_BITS: u64 = 1 << 22;

fn pow10(n: u64) -> BigInt {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    num_traits::pow(BigInt::from(10), n as usize)
}

/// Number of decimal digits of `|v|` (1 for zero), Java's `precision()`.
fn digits(v: &BigInt) -> u64 {
    if v.is_zero() {
        return 1;
    }
    v.magnitude().to_string().len() as u64
}

/// `n / d` rounded by `mode` (`None`: `UNNECESSARY` and inexact).
fn div_round(n: &BigInt, d: &BigInt, mode: Rounding) -> Option<BigInt> {
    let (q, r) = n.div_rem(d);
    if r.is_zero() {
        return Some(q);
    }
    let positive = (n.sign() == Sign::Minus) == (d.sign() == Sign::Minus);
    let twice = (r.abs() * 2u32).cmp(&d.abs());
    let away = match mode {
        Rounding::Up => true,
        Rounding::Down => false,
        Rounding::Ceiling => positive,
        Rounding::Floor => !positive,
        Rounding::HalfUp => twice != Ordering::Less,
        Rounding::HalfDown => twice == Ordering::Greater,
        Rounding::HalfEven => {
            twice == Ordering::Greater || (twice == Ordering::Equal && q.is_odd())
        }
        Rounding::Unnecessary => return None,
    };
    Some(match (away, positive) {
        (false, _) => q,
        (true, true) => q + 1,
        (true, false) => q - 1,
    })
}

impl Dec {
    #[must_use]
    pub fn new(unscaled: impl Into<BigInt>, scale: i32) -> Self {
        Dec {
            unscaled: Rc::new(unscaled.into()),
            scale,
        }
    }

    #[must_use]
    pub fn from_int(v: impl Into<BigInt>) -> Self {
        Dec::new(v, 0)
    }

    /// Parses a Java `BigDecimal` literal such as `1.50`, `-1e3` or `2.5E-4`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => {
                let exp = &text[i + 1..];
                (
                    &text[..i],
                    exp.strip_prefix('+').unwrap_or(exp).parse::<i32>().ok()?,
                )
            }
            None => (text, 0),
        };
        let (sign, body) = match mantissa.as_bytes().first() {
            Some(b'-') => ("-", &mantissa[1..]),
            Some(b'+') => ("", &mantissa[1..]),
            _ => ("", mantissa),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let all = format!("{int}{frac}");
        if all.is_empty() || !all.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let unscaled: BigInt = format!("{sign}{all}").parse().ok()?;
        let scale = i32::try_from(frac.len()).ok()?.checked_sub(exp)?;
        Some(Dec::new(unscaled, scale))
    }

    /// This value at `scale`, rounding half up when digits are dropped.
    #[must_use]
    pub fn with_scale(&self, scale: i32) -> Option<Self> {
        self.with_scale_round(scale, Rounding::HalfUp)
    }

    /// `setScale(scale, mode)`; `None` when `UNNECESSARY` would drop a non-zero digit, or
    /// the value would grow past what is kept.
    #[must_use]
    pub fn with_scale_round(&self, scale: i32, mode: Rounding) -> Option<Self> {
        match scale.cmp(&self.scale) {
            Ordering::Equal => Some(self.clone()),
            Ordering::Greater => {
                let grow = u64::try_from(i64::from(scale) - i64::from(self.scale)).ok()?;
                if grow * 4 > MAX_BITS {
                    return None;
                }
                Some(Dec::new(&*self.unscaled * pow10(grow), scale))
            }
            Ordering::Less => {
                let drop = u64::try_from(i64::from(self.scale) - i64::from(scale)).ok()?;
                if drop > digits(&self.unscaled) + 1 {
                    // Every digit goes: only the rounding direction is left.
                    let q = div_round(&self.unscaled, &pow10(digits(&self.unscaled) + 1), mode)?;
                    return Some(Dec::new(q, scale));
                }
                Some(Dec::new(
                    div_round(&self.unscaled, &pow10(drop), mode)?,
                    scale,
                ))
            }
        }
    }

    fn align(a: &Dec, b: &Dec) -> Option<(BigInt, BigInt, i32)> {
        let s = a.scale.max(b.scale);
        Some((
            (*a.with_scale(s)?.unscaled).clone(),
            (*b.with_scale(s)?.unscaled).clone(),
            s,
        ))
    }

    #[must_use]
    pub fn checked_add(&self, o: &Dec) -> Option<Dec> {
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a + b, s))
    }

    #[must_use]
    pub fn checked_sub(&self, o: &Dec) -> Option<Dec> {
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a - b, s))
    }

    #[must_use]
    pub fn checked_mul(&self, o: &Dec) -> Option<Dec> {
        if self.unscaled.bits() + o.unscaled.bits() > MAX_BITS {
            return None;
        }
        Some(Dec::new(
            &*self.unscaled * &*o.unscaled,
            self.scale.checked_add(o.scale)?,
        ))
    }

    /// Java's `remainder`: the sign follows the dividend. `None` for a zero divisor.
    #[must_use]
    pub fn checked_rem(&self, o: &Dec) -> Option<Dec> {
        if o.is_zero() {
            return None;
        }
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a % b, s))
    }

    #[must_use]
    pub fn neg(&self) -> Dec {
        Dec::new(-&*self.unscaled, self.scale)
    }

    #[must_use]
    pub fn abs(&self) -> Dec {
        Dec::new(self.unscaled.abs(), self.scale)
    }

    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }

    /// Java's `precision()`: the number of digits of the unscaled value.
    #[must_use]
    pub fn precision(&self) -> u64 {
        digits(&self.unscaled)
    }

    /// Groovy's `/` on non-floating numbers: exact when the quotient terminates, otherwise
    /// `max(precision) + 10` significant digits, cut to 10 decimals when it has more. `None` on division by
    /// zero (the caller raises the matching exception) or a runaway size.
    #[must_use]
    pub fn checked_div(&self, o: &Dec) -> Option<Dec> {
        if o.is_zero() {
            return None;
        }
        let preferred = self.scale.checked_sub(o.scale)?;
        if let Some(exact) = self.div_exact(o, preferred) {
            return Some(exact);
        }
        let precision = self.precision().max(o.precision()) + DIVISION_EXTRA_PRECISION;
        let rounded = self.div_to_precision(o, precision)?;
        // Only a scale past the cap is cut (to the cap); a smaller one stays as rounded, so
        // `1e50 / 3` is `3.3333333333E+49`.
        if rounded.scale.max(self.scale).max(o.scale) > DIVISION_MAX_SCALE {
            rounded.with_scale(DIVISION_MAX_SCALE)
        } else {
            Some(rounded)
        }
    }

    /// Java's `divide(divisor)`: the terminating quotient with the smallest scale not below
    /// `preferred`, or `None` when the expansion does not terminate.
    fn div_exact(&self, o: &Dec, preferred: i32) -> Option<Dec> {
        let num = &*self.unscaled;
        let den = &*o.unscaled;
        // The quotient terminates when the divisor, once reduced, has only 2s and 5s; their
        // larger count is the number of digits it adds.
        let mut rest = den / num.gcd(den);
        let (mut twos, mut fives) = (0u64, 0u64);
        while rest.is_even() && !rest.is_zero() {
            rest /= 2;
            twos += 1;
        }
        while (&rest % 5u32).is_zero() && !rest.is_zero() {
            rest /= 5;
            fives += 1;
        }
        if !rest.abs().is_one() {
            return None;
        }
        let extra = twos.max(fives);
        let scaled = num * pow10(extra);
        let quotient = Dec::new(
            &scaled / den,
            preferred.checked_add(i32::try_from(extra).ok()?)?,
        );
        // Trailing zeros go, down to the preferred scale.
        Some(quotient.strip_to(preferred))
    }

    /// The quotient rounded half up to `precision` significant digits (`MathContext`).
    fn div_to_precision(&self, o: &Dec, precision: u64) -> Option<Dec> {
        // Estimate the scale at which the quotient has `precision` digits, then correct it.
        let wide = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let int_digits = wide(digits(&self.unscaled))
            - i64::from(self.scale)
            - (wide(digits(&o.unscaled)) - i64::from(o.scale));
        let mut scale = wide(precision) - int_digits;
        loop {
            let shift = scale - (i64::from(self.scale) - i64::from(o.scale));
            let q = if shift >= 0 {
                let n = &*self.unscaled * pow10(shift.unsigned_abs());
                div_round(&n, &o.unscaled, Rounding::HalfUp)?
            } else {
                let d = &*o.unscaled * pow10(shift.unsigned_abs());
                div_round(&self.unscaled, &d, Rounding::HalfUp)?
            };
            let got = digits(&q);
            if got > precision {
                scale -= 1;
                continue;
            }
            if got < precision && !q.is_zero() && scale < 100_000 {
                scale += 1;
                continue;
            }
            return Some(Dec::new(q, i32::try_from(scale).ok()?));
        }
    }

    /// Truncation towards zero, as an integer (`toBigInteger()`).
    #[must_use]
    pub fn trunc(&self) -> BigInt {
        if self.scale <= 0 {
            &*self.unscaled * pow10(u64::from(self.scale.unsigned_abs()))
        } else {
            &*self.unscaled / pow10(u64::from(self.scale.unsigned_abs()))
        }
    }

    #[must_use]
    pub fn to_f64(&self) -> f64 {
        format!("{}E{}", self.unscaled, -i64::from(self.scale))
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Numeric comparison (`compareTo`), ignoring scale.
    #[must_use]
    pub fn cmp_value(&self, o: &Dec) -> Ordering {
        match Dec::align(self, o) {
            Some((a, b, _)) => a.cmp(&b),
            None => self.to_f64().total_cmp(&o.to_f64()),
        }
    }

    /// `stripTrailingZeros`.
    #[must_use]
    pub fn strip(&self) -> Dec {
        if self.is_zero() {
            return Dec::new(0, 0);
        }
        self.strip_to(i32::MIN)
    }

    /// Drops trailing zeros while the scale stays at or above `floor`.
    fn strip_to(&self, floor: i32) -> Dec {
        if self.is_zero() {
            return self.clone();
        }
        let mut unscaled = (*self.unscaled).clone();
        let mut scale = self.scale;
        while scale > floor {
            let (q, r) = unscaled.div_rem(&BigInt::from(10));
            if !r.is_zero() {
                break;
            }
            unscaled = q;
            scale -= 1;
        }
        Dec::new(unscaled, scale)
    }

    /// The value as an exact integer, if it has no fraction.
    #[must_use]
    pub fn as_integer(&self) -> Option<BigInt> {
        let s = self.strip();
        (s.scale <= 0).then(|| s.trunc())
    }

    /// `toPlainString`.
    #[must_use]
    pub fn plain(&self) -> String {
        let neg = self.unscaled.sign() == Sign::Minus;
        let digits = self.unscaled.magnitude().to_string();
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if self.scale <= 0 {
            out.push_str(&digits);
            if !self.is_zero() {
                out.extend(std::iter::repeat_n('0', self.scale.unsigned_abs() as usize));
            }
        } else {
            let scale = self.scale.unsigned_abs() as usize;
            if digits.len() > scale {
                out.push_str(&digits[..digits.len() - scale]);
                out.push('.');
                out.push_str(&digits[digits.len() - scale..]);
            } else {
                out.push_str("0.");
                out.extend(std::iter::repeat_n('0', scale - digits.len()));
                out.push_str(&digits);
            }
        }
        out
    }
}

/// Java's `BigDecimal.toString`: plain unless the scale is negative or the adjusted exponent is
/// below -6, then scientific with `E+n`/`E-n`.
impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.unscaled.magnitude().to_string();
        let adjusted = -i64::from(self.scale) + digits.len() as i64 - 1;
        if self.scale >= 0 && adjusted >= -6 {
            return f.write_str(&self.plain());
        }
        if self.unscaled.sign() == Sign::Minus {
            f.write_str("-")?;
        }
        f.write_str(&digits[..1])?;
        if digits.len() > 1 {
            write!(f, ".{}", &digits[1..])?;
        }
        if adjusted >= 0 {
            write!(f, "E+{adjusted}")
        } else {
            write!(f, "E{adjusted}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Dec, Rounding};

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn division_matches_groovy() {
        let cases = [
            ("1", "3", "0.3333333333"),
            ("100", "3", "33.3333333333"),
            ("2", "3", "0.6666666667"),
            ("10", "4", "2.5"),
            ("4", "2", "2"),
            ("6.0", "2", "3.0"),
            ("1", "7.0", "0.1428571429"),
            ("123456789", "7", "17636684.1428571429"),
            ("1.5", "0.7", "2.1428571429"),
            ("1.00", "8", "0.125"),
            ("10.00", "4", "2.50"),
            ("1e50", "3", "3.3333333333E+49"),
            ("1.0", "98765432109876543210", "0E-10"),
        ];
        for (a, b, want) in cases {
            assert_eq!(
                d(a).checked_div(&d(b)).unwrap().to_string(),
                want,
                "{a}/{b}"
            );
        }
    }

    #[test]
    fn to_string_matches_java() {
        assert_eq!(d("1e3").to_string(), "1E+3");
        assert_eq!(d("1.0e-5").to_string(), "0.000010");
        assert_eq!(d("0.0000001").to_string(), "1E-7");
        assert_eq!(d("1.23456789e10").to_string(), "1.23456789E+10");
        assert_eq!(d("-0.5").to_string(), "-0.5");
        assert_eq!(
            d("3.0").checked_mul(&d("2.50")).unwrap().to_string(),
            "7.500"
        );
        assert_eq!(d("0.1").checked_add(&d("0.2")).unwrap().to_string(), "0.3");
        let wide = d("99999999999999999999999999999999999999.5");
        assert_eq!(
            wide.checked_mul(&wide).unwrap().to_string(),
            "9999999999999999999999999999999999999900000000000000000000000000000000000000.25"
        );
    }

    #[test]
    fn rounding_modes_match_java() {
        let cases = [
            ("2.5", Rounding::HalfEven, "2"),
            ("3.5", Rounding::HalfEven, "4"),
            ("2.5", Rounding::HalfDown, "2"),
            ("2.5", Rounding::HalfUp, "3"),
            ("-2.5", Rounding::HalfUp, "-3"),
            ("2.1", Rounding::Up, "3"),
            ("-2.1", Rounding::Ceiling, "-2"),
            ("-2.1", Rounding::Floor, "-3"),
            ("2.9", Rounding::Down, "2"),
        ];
        for (v, mode, want) in cases {
            let got = d(v).with_scale_round(0, mode).unwrap();
            assert_eq!(got.to_string(), want, "{v} {mode:?}");
        }
        assert!(
            d("2.5")
                .with_scale_round(0, Rounding::Unnecessary)
                .is_none()
        );
    }
}
