//! Sizes and CPU counts read exactly as the docker CLI reads them, with its messages:
//! `--memory`, `--shm-size` and `--memory-swap` through go-units' `RAMInBytes` (powers of
//! 1024, `b`/`k`/`m`/`g`/`t`/`p` with an optional `b` or `ib`; `nan`, negative sizes and bad
//! suffixes refused), and `--cpus` as a `big.Rat` that must be a whole number of
//! billionths. A bad value fails as the CLI's flag parser says it:
//! `invalid argument "nan" for "-m, --memory" flag: invalid size: 'nan'`.

/// The CLI's flag error: `invalid argument "<value>" for "<flag>" flag: <reason>`.
pub(super) fn flag_error(flag: &str, value: &str, reason: &str) -> String {
    format!("invalid argument \"{value}\" for \"{flag}\" flag: {reason}")
}

/// The names the CLI shows for a flag.
pub(super) fn flag_names(flag: &str) -> &str {
    match flag {
        "-m" | "--memory" => "-m, --memory",
        other => other,
    }
}

/// go-units `RAMInBytes` (its `parseSize` with the binary map).
pub(super) fn ram_in_bytes(size: &str) -> Result<i64, String> {
    let invalid = || format!("invalid size: '{size}'");
    let Some(sep) = size.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        // There should be at least a digit.
        return Err(invalid());
    };
    let (num, suffix) = if size.as_bytes()[sep] == b' ' {
        (&size[..sep], &size[sep + 1..])
    } else {
        (&size[..=sep], &size[sep + 1..])
    };
    let n = parse_float(num)?;
    if n < 0.0 {
        return Err(invalid());
    }
    #[allow(clippy::cast_possible_truncation)]
    let whole = |n: f64| n as i64;
    if suffix.is_empty() {
        return Ok(whole(n));
    }
    let bad_suffix = |s: &str| format!("invalid suffix: '{s}'");
    if suffix.chars().count() > 3 {
        return Err(bad_suffix(suffix));
    }
    let lower = suffix.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    if bytes[0] == b'b' {
        return if bytes.len() > 1 {
            Err(bad_suffix(&lower))
        } else {
            Ok(whole(n))
        };
    }
    let power = match bytes[0] {
        b'k' => 1,
        b'm' => 2,
        b'g' => 3,
        b't' => 4,
        b'p' => 5,
        _ => return Err(bad_suffix(&lower)),
    };
    let tail_ok = match bytes.len() {
        2 => bytes[1] == b'b',
        3 => &bytes[1..] == b"ib",
        _ => true,
    };
    if !tail_ok {
        return Err(bad_suffix(&lower));
    }
    Ok(whole(n * 1024f64.powi(power)))
}

/// Go's `strconv.ParseFloat(num, 64)` for the decimal forms a size can have, with its
/// messages.
fn parse_float(num: &str) -> Result<f64, String> {
    let decimal = {
        let body = num.strip_prefix(['+', '-']).unwrap_or(num);
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        };
        let digits = mantissa.chars().filter(char::is_ascii_digit).count();
        let dots = mantissa.chars().filter(|c| *c == '.').count();
        let exponent_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        });
        digits > 0 && dots <= 1 && digits + dots == mantissa.len() && exponent_ok
    };
    let syntax = || format!("strconv.ParseFloat: parsing {num:?}: invalid syntax");
    if !decimal {
        return Err(syntax());
    }
    let n: f64 = num.parse().map_err(|_| syntax())?;
    if n.is_finite() {
        Ok(n)
    } else {
        Err(format!(
            "strconv.ParseFloat: parsing {num:?}: value out of range"
        ))
    }
}

/// `--memory-swap`: `-1` (unlimited) or a size.
pub(super) fn swap_bytes(value: &str) -> Result<i64, String> {
    if value == "-1" {
        return Ok(-1);
    }
    ram_in_bytes(value)
}

/// `--cpus` (the CLI's `NanoCPUs`): a rational number (`1.5`, `3/2`, `2e-1`) times 10^9,
/// which must be whole. Negative counts go on to the engine, whose message names its range.
pub(super) fn nano_cpus(value: &str) -> Result<i64, String> {
    let unparsable = || format!("failed to parse {value} as a rational number");
    let (num, den) = rational(value).ok_or_else(unparsable)?;
    let scaled = num.checked_mul(1_000_000_000).ok_or_else(unparsable)?;
    if scaled % den != 0 {
        return Err("value is too precise".to_string());
    }
    i64::try_from(scaled / den).map_err(|_| unparsable())
}

/// `big.Rat.SetString` for decimal text: `a/b`, or a decimal with an optional exponent.
fn rational(text: &str) -> Option<(i128, i128)> {
    if let Some((a, b)) = text.split_once('/') {
        let a: i128 = integer(a, true)?;
        let b: i128 = integer(b, false)?;
        return (b != 0).then_some((a, b));
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], integer(&body[at + 1..], true)?),
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut digits: i128 = 0;
    for c in whole.chars().chain(fraction.chars()) {
        digits = digits
            .checked_mul(10)?
            .checked_add(i128::from(c.to_digit(10)?))?;
    }
    let scale = i128::try_from(fraction.len()).ok()? - exponent;
    let (num, den) = if scale >= 0 {
        (digits, 10i128.checked_pow(u32::try_from(scale).ok()?)?)
    } else {
        (
            digits.checked_mul(10i128.checked_pow(u32::try_from(-scale).ok()?)?)?,
            1,
        )
    };
    Some((if negative { -num } else { num }, den))
}

fn integer(text: &str, signed: bool) -> Option<i128> {
    let body = if signed {
        text.strip_prefix(['+', '-']).unwrap_or(text)
    } else {
        text
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{nano_cpus, ram_in_bytes, swap_bytes};

    #[test]
    fn sizes_as_go_units_reads_them() {
        let ok = |s: &str| ram_in_bytes(s).unwrap();
        assert_eq!(ok("512"), 512);
        assert_eq!(ok("2g"), 2 << 30);
        assert_eq!(ok("1.5G"), 3 << 29);
        assert_eq!(ok("64MiB"), 64 << 20);
        assert_eq!(ok("64mb"), 64 << 20);
        assert_eq!(ok("10 k"), 10 << 10);
        assert_eq!(ok("7b"), 7);
        assert_eq!(ok("1e3"), 1000);
        let err = |s: &str| ram_in_bytes(s).unwrap_err();
        assert_eq!(err("nan"), "invalid size: 'nan'");
        assert_eq!(err("inf"), "invalid size: 'inf'");
        assert_eq!(err("-1g"), "invalid size: '-1g'");
        assert_eq!(err("10x"), "invalid suffix: 'x'");
        assert_eq!(err("10GiBs"), "invalid suffix: 'GiBs'");
        assert_eq!(
            err("10Gb2"),
            "strconv.ParseFloat: parsing \"10Gb2\": invalid syntax"
        );
        assert_eq!(err("10bb"), "invalid suffix: 'bb'");
        assert_eq!(err("10gx"), "invalid suffix: 'gx'");
        assert_eq!(
            err("1..2g"),
            "strconv.ParseFloat: parsing \"1..2\": invalid syntax"
        );
        assert_eq!(swap_bytes("-1"), Ok(-1));
        assert_eq!(swap_bytes("-2").unwrap_err(), "invalid size: '-2'");
    }

    #[test]
    fn cpus_as_a_rational_number_of_billionths() {
        assert_eq!(nano_cpus("1.5"), Ok(1_500_000_000));
        assert_eq!(nano_cpus("3/2"), Ok(1_500_000_000));
        assert_eq!(nano_cpus("2e-1"), Ok(200_000_000));
        assert_eq!(nano_cpus(".5"), Ok(500_000_000));
        assert_eq!(nano_cpus("-1"), Ok(-1_000_000_000));
        assert_eq!(nano_cpus("0"), Ok(0));
        assert_eq!(
            nano_cpus("nan").unwrap_err(),
            "failed to parse nan as a rational number"
        );
        assert_eq!(
            nano_cpus("1/0").unwrap_err(),
            "failed to parse 1/0 as a rational number"
        );
        assert_eq!(
            nano_cpus("0.0000000001").unwrap_err(),
            "value is too precise"
        );
    }
}
