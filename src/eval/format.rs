//! `String.format`/`sprintf`/`printf`: Java's `Formatter` for the conversions scripts use
//! (`%s %d %f %x %o %e %b %c %n %%` with flags `-0+,` width and precision).

use num_bigint::{BigInt, Sign};

use super::flow::{Flow, R};
use super::num::to_f64;
use super::text::to_string;
use super::value::Value;

#[cold]
fn bad(msg: String) -> Flow {
    Flow::exception("java.util.UnknownFormatConversionException", msg)
}

fn group(int_digits: &str) -> String {
    let bytes: Vec<char> = int_digits.chars().collect();
    let mut out = String::new();
    for (i, c) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

#[allow(clippy::many_single_char_names)]
pub fn format(fmt: &str, args: &[Value]) -> R<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-0+, #".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = p.parse().ok();
        }
        let Some(conv) = chars.next() else {
            return Err(bad("%".into()));
        };
        if conv == '%' {
            out.push('%');
            continue;
        }
        if conv == 'n' {
            out.push('\n');
            continue;
        }
        let arg = args.get(next_arg).cloned().ok_or_else(|| {
            Flow::exception(
                "java.util.MissingFormatArgumentException",
                format!("Format specifier '%{flags}{width}{conv}'"),
            )
        })?;
        next_arg += 1;
        let mut body = match conv.to_ascii_lowercase() {
            's' => {
                let s = to_string(&arg);
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'b' => (arg.truthy()).to_string(),
            'c' => to_string(&arg)
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
            'd' => {
                let i = match &arg {
                    Value::BigInt(i) => (**i).clone(),
                    other => BigInt::from(other.as_i64().ok_or_else(|| {
                        Flow::exception(
                            "java.util.IllegalFormatConversionException",
                            format!("d != {}", other.class_name()),
                        )
                    })?),
                };
                let digits = i.magnitude().to_string();
                let digits = if flags.contains(',') {
                    group(&digits)
                } else {
                    digits
                };
                let sign = if i.sign() == Sign::Minus {
                    "-"
                } else if flags.contains('+') {
                    "+"
                } else {
                    ""
                };
                format!("{sign}{digits}")
            }
            // A BigInteger prints signed (`-ff`), as Java's Formatter does.
            'x' | 'o' if matches!(arg, Value::BigInt(_)) => {
                let Value::BigInt(b) = arg else {
                    unreachable!("matched as a BigInteger")
                };
                let sign = if b.sign() == Sign::Minus { "-" } else { "" };
                let radix = if conv.eq_ignore_ascii_case(&'x') {
                    16
                } else {
                    8
                };
                format!("{sign}{}", b.magnitude().to_str_radix(radix))
            }
            'x' | 'o' => {
                let i = arg.as_i64().unwrap_or(0);

                if conv.eq_ignore_ascii_case(&'x') {
                    if let Value::Int(v) = arg {
                        format!("{v:x}")
                    } else {
                        format!("{i:x}")
                    }
                } else {
                    format!("{i:o}")
                }
            }
            'f' | 'e' => {
                let f = to_f64(&arg).ok_or_else(|| {
                    Flow::exception(
                        "java.util.IllegalFormatConversionException",
                        format!("{conv} != {}", arg.class_name()),
                    )
                })?;
                let p = precision.unwrap_or(6);
                if conv.eq_ignore_ascii_case(&'e') {
                    let s = format!("{f:.p$e}");
                    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                    let e: i32 = e.parse().unwrap_or(0);
                    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
                } else {
                    let exact = match &arg {
                        Value::Dec(_) => Some(super::text::to_string(&arg))
                            .filter(|t| !t.contains(['E', 'e']))
                            .map(|t| t.trim_start_matches('-').to_string()),
                        _ => None,
                    };
                    let s = if f.is_finite() {
                        // Java rounds the shortest decimal form of the value HALF_UP:
                        // `%.1f` of 2.25 is 2.3, where Rust's binary-exact rounding gives 2.2.
                        round_half_up(&exact.unwrap_or_else(|| format!("{}", f.abs())), p)
                    } else {
                        format!("{:.p$}", f.abs())
                    };
                    let s = if flags.contains(',') {
                        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
                        if frac.is_empty() {
                            group(int)
                        } else {
                            format!("{}.{frac}", group(int))
                        }
                    } else {
                        s
                    };
                    let sign = if f < 0.0 {
                        "-"
                    } else if flags.contains('+') {
                        "+"
                    } else {
                        ""
                    };
                    format!("{sign}{s}")
                }
            }
            other => return Err(bad(format!("Conversion = '{other}'"))),
        };
        if conv.is_ascii_uppercase() {
            body = body.to_uppercase();
        }
        let width: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len < width {
            let pad = width - len;
            if flags.contains('-') {
                body.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && "dfxoe".contains(conv.to_ascii_lowercase()) {
                let (sign, rest) = if body.starts_with(['-', '+']) {
                    body.split_at(1)
                } else {
                    ("", body.as_str())
                };
                body = format!("{sign}{}{rest}", "0".repeat(pad));
            } else {
                body = format!("{}{body}", " ".repeat(pad));
            }
        }
        out.push_str(&body);
    }
    Ok(out)
}

/// `digits` (a plain non-negative decimal, `12.345`) rounded `HALF_UP` to `places` decimals.
fn round_half_up(digits: &str, places: usize) -> String {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() <= places {
        let mut out = int.to_string();
        if places > 0 {
            out.push('.');
            out.push_str(frac);
            out.push_str(&"0".repeat(places - frac.len()));
        }
        return out;
    }
    let mut kept: Vec<u8> = int.bytes().chain(frac.bytes().take(places)).collect();
    if frac.as_bytes()[places] >= b'5' {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let split = kept.len() - places;
    let mut out = String::from_utf8_lossy(&kept[..split]).into_owned();
    if places > 0 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(&kept[split..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::round_half_up;

    #[test]
    fn half_up_on_the_decimal_form() {
        assert_eq!(round_half_up("2.25", 1), "2.3");
        assert_eq!(round_half_up("9.995", 2), "10.00");
        assert_eq!(round_half_up("0.5", 0), "1");
        assert_eq!(round_half_up("3", 2), "3.00");
        assert_eq!(round_half_up("1.2345", 6), "1.234500");
    }
}
