//! `java.math.BigDecimal` as Groovy uses it: an unscaled integer and a scale, with Java's
//! `toString` (scientific notation for small or large exponents) and Groovy's division rule.
//! The unscaled value is an `i128` (38 digits); an operation that would overflow it fails
//! plainly instead of losing digits.

use std::cmp::Ordering;
use std::fmt;

/// A decimal number `unscaled × 10^-scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dec {
    pub unscaled: i128,
    pub scale: i32,
}

/// The extra digits and the scale cap of Groovy's `BigDecimalMath.divideImpl`.
const DIVISION_EXTRA_PRECISION: u32 = 10;
const DIVISION_MAX_SCALE: i32 = 10;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// Number of decimal digits of `|v|` (1 for zero), Java's `precision()`.
fn digits(v: i128) -> u32 {
    let mut v = v.unsigned_abs();
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Divides rounding half away from zero (Java's `HALF_UP`).
fn div_half_up(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if r.unsigned_abs() * 2 >= d.unsigned_abs() {
        if (n < 0) == (d < 0) { q + 1 } else { q - 1 }
    } else {
        q
    }
}

impl Dec {
    #[must_use]
    pub fn new(unscaled: i128, scale: i32) -> Self {
        Dec { unscaled, scale }
    }

    #[must_use]
    pub fn from_int(v: i128) -> Self {
        Dec::new(v, 0)
    }

    /// Parses a Java `BigDecimal` literal such as `1.50`, `1e3` or `2.5E-4`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{int}{frac}");
        let unscaled: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
        Some(Dec::new(unscaled, frac.len() as i32 - exp))
    }

    /// This value at `scale`, rounding half up when digits are dropped.
    #[must_use]
    pub fn with_scale(self, scale: i32) -> Option<Self> {
        match scale.cmp(&self.scale) {
            Ordering::Equal => Some(self),
            Ordering::Greater => {
                let f = pow10((scale - self.scale) as u32)?;
                Some(Dec::new(self.unscaled.checked_mul(f)?, scale))
            }
            Ordering::Less => {
                let f = pow10((self.scale - scale) as u32)?;
                Some(Dec::new(div_half_up(self.unscaled, f), scale))
            }
        }
    }

    fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
        let s = a.scale.max(b.scale);
        Some((a.with_scale(s)?.unscaled, b.with_scale(s)?.unscaled, s))
    }

    #[must_use]
    pub fn checked_add(self, o: Dec) -> Option<Dec> {
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a.checked_add(b)?, s))
    }

    #[must_use]
    pub fn checked_sub(self, o: Dec) -> Option<Dec> {
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a.checked_sub(b)?, s))
    }

    #[must_use]
    pub fn checked_mul(self, o: Dec) -> Option<Dec> {
        Some(Dec::new(
            self.unscaled.checked_mul(o.unscaled)?,
            self.scale + o.scale,
        ))
    }

    /// Java's `remainder`: the sign follows the dividend.
    #[must_use]
    pub fn checked_rem(self, o: Dec) -> Option<Dec> {
        let (a, b, s) = Dec::align(self, o)?;
        Some(Dec::new(a.checked_rem(b)?, s))
    }

    #[must_use]
    pub fn checked_neg(self) -> Dec {
        Dec::new(-self.unscaled, self.scale)
    }

    #[must_use]
    pub fn is_zero(self) -> bool {
        self.unscaled == 0
    }

    /// Groovy's `/` on non-floating numbers: exact when the quotient terminates, otherwise
    /// `max(precision) + 10` significant digits, at most 10 decimals. `None` on overflow or
    /// division by zero (the caller raises the matching exception).
    #[must_use]
    pub fn checked_div(self, o: Dec) -> Option<Dec> {
        if o.unscaled == 0 {
            return None;
        }
        let preferred = self.scale - o.scale;
        if let Some(exact) = self.div_exact(o, preferred) {
            return Some(exact);
        }
        let precision = digits(self.unscaled).max(digits(o.unscaled)) + DIVISION_EXTRA_PRECISION;
        let rounded = self.div_to_precision(o, precision)?;
        let scale = rounded
            .scale
            .max(self.scale)
            .max(o.scale)
            .min(DIVISION_MAX_SCALE);
        rounded.with_scale(scale)
    }

    /// The terminating quotient with the smallest scale not below `preferred`, if any.
    fn div_exact(self, o: Dec, preferred: i32) -> Option<Dec> {
        // Try growing scales; a terminating quotient of these sizes needs few extra digits.
        for extra in 0..=40 {
            let scale = preferred + extra;
            let shift = scale - preferred;
            let n = self.unscaled.checked_mul(pow10(shift as u32)?)?;
            if n % o.unscaled == 0 {
                let q = Dec::new(n / o.unscaled, scale);
                return Some(if scale < preferred {
                    q.with_scale(preferred)?
                } else {
                    q
                });
            }
        }
        None
    }

    /// The quotient rounded half up to `precision` significant digits.
    fn div_to_precision(self, o: Dec, precision: u32) -> Option<Dec> {
        // Find the scale at which the quotient has exactly `precision` digits.
        let int_digits =
            digits(self.unscaled) as i32 - self.scale - (digits(o.unscaled) as i32 - o.scale);
        let mut scale = precision as i32 - int_digits;
        loop {
            let shift = scale - (self.scale - o.scale);
            let q = if shift >= 0 {
                let n = self.unscaled.checked_mul(pow10(shift as u32)?)?;
                div_half_up(n, o.unscaled)
            } else {
                let d = o.unscaled.checked_mul(pow10((-shift) as u32)?)?;
                div_half_up(self.unscaled, d)
            };
            let got = digits(q);
            if got > precision {
                scale -= 1;
                continue;
            }
            if got < precision && q != 0 && scale < 1000 {
                scale += 1;
                continue;
            }
            return Some(Dec::new(q, scale));
        }
    }

    /// `intdiv`-style truncation towards zero, as an integer.
    #[must_use]
    pub fn trunc(self) -> i128 {
        if self.scale <= 0 {
            self.unscaled * pow10((-self.scale) as u32).unwrap_or(1)
        } else {
            self.unscaled / pow10(self.scale as u32).unwrap_or(i128::MAX)
        }
    }

    #[must_use]
    pub fn to_f64(self) -> f64 {
        format!("{}E{}", self.unscaled, -self.scale)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Numeric comparison (`compareTo`), ignoring scale.
    #[must_use]
    pub fn cmp_value(self, o: Dec) -> Ordering {
        match Dec::align(self, o) {
            Some((a, b, _)) => a.cmp(&b),
            None => self.to_f64().total_cmp(&o.to_f64()),
        }
    }

    /// `stripTrailingZeros`.
    #[must_use]
    pub fn strip(self) -> Dec {
        let mut d = self;
        if d.unscaled == 0 {
            return Dec::new(0, 0);
        }
        while d.unscaled % 10 == 0 {
            d = Dec::new(d.unscaled / 10, d.scale - 1);
        }
        d
    }

    /// The value as an exact integer, if it has no fraction.
    #[must_use]
    pub fn as_integer(self) -> Option<i128> {
        let s = self.strip();
        if s.scale <= 0 {
            s.unscaled.checked_mul(pow10((-s.scale) as u32)?)
        } else {
            None
        }
    }

    /// `toPlainString`.
    #[must_use]
    pub fn plain(self) -> String {
        let neg = self.unscaled < 0;
        let digits = self.unscaled.unsigned_abs().to_string();
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if self.scale <= 0 {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (-self.scale) as usize));
        } else {
            let scale = self.scale as usize;
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
        let digits = self.unscaled.unsigned_abs().to_string();
        let adjusted = -i64::from(self.scale) + digits.len() as i64 - 1;
        if self.scale >= 0 && adjusted >= -6 {
            return f.write_str(&self.plain());
        }
        if self.unscaled < 0 {
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
    use super::Dec;

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
        ];
        for (a, b, want) in cases {
            assert_eq!(d(a).checked_div(d(b)).unwrap().to_string(), want, "{a}/{b}");
        }
    }

    #[test]
    fn to_string_matches_java() {
        assert_eq!(d("1e3").to_string(), "1E+3");
        assert_eq!(d("1.0e-5").to_string(), "0.000010");
        assert_eq!(d("0.0000001").to_string(), "1E-7");
        assert_eq!(d("1.23456789e10").to_string(), "1.23456789E+10");
        assert_eq!(
            d("3.0").checked_mul(d("2.50")).unwrap().to_string(),
            "7.500"
        );
        assert_eq!(d("0.1").checked_add(d("0.2")).unwrap().to_string(), "0.3");
    }
}
