//! `java.util.Date` and `SimpleDateFormat` patterns, in UTC (the time zone of a CI agent
//! unless configured otherwise).

use std::time::{SystemTime, UNIX_EPOCH};

#[must_use]
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
    weekday: usize,
}

fn parts(ms: i64) -> Parts {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil(days);
    Parts {
        year,
        month,
        day,
        hour: rest / 3_600_000,
        minute: rest / 60_000 % 60,
        second: rest / 1000 % 60,
        millis: rest % 1000,
        // 1970-01-01 was a Thursday.
        weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Date.toString()`: `Thu Jan 01 00:00:00 UTC 1970`.
#[must_use]
pub fn to_java_string(ms: i64) -> String {
    format(ms, "EEE MMM dd HH:mm:ss zzz yyyy")
}

/// `SimpleDateFormat(pattern).format(date)` for the common letters.
#[must_use]
pub fn format(ms: i64, pattern: &str) -> String {
    let p = parts(ms);
    let mut out = String::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c {
            n += 1;
        }
        let num = |v: i64| format!("{v:0n$}");
        let month = MONTHS[(p.month - 1) as usize];
        let piece = match c {
            'y' if n == 2 => format!("{:02}", p.year % 100),
            'y' => num(p.year),
            'M' if n >= 4 => month.to_string(),
            'M' if n == 3 => month[..3].to_string(),
            'M' => num(i64::from(p.month)),
            'd' => num(i64::from(p.day)),
            'H' => num(p.hour),
            'h' => num(if p.hour % 12 == 0 { 12 } else { p.hour % 12 }),
            'm' => num(p.minute),
            's' => num(p.second),
            'S' => format!("{:03}", p.millis).chars().take(n.max(3)).collect(),
            'E' if n >= 4 => DAYS[p.weekday].to_string(),
            'E' => DAYS[p.weekday][..3].to_string(),
            'a' => if p.hour < 12 { "AM" } else { "PM" }.to_string(),
            'z' => "UTC".to_string(),
            'Z' => "+0000".to_string(),
            'X' => "Z".to_string(),
            other => other.to_string().repeat(n),
        };
        out.push_str(&piece);
        i += n;
    }
    out
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm); a day or month past
/// its end rolls over, as a lenient `SimpleDateFormat` does.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let (year, month) = (
        year + (month - 1).div_euclid(12),
        (month - 1).rem_euclid(12) + 1,
    );
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + day - 1
}

/// `SimpleDateFormat(pattern).parse(text)` in UTC, for the letters `format` writes; `None`
/// when the text does not fit (Java's `ParseException`). Like Java, text after the pattern
/// is ignored.
#[must_use]
pub fn parse(text: &str, pattern: &str) -> Option<i64> {
    let pat: Vec<char> = pattern.chars().collect();
    let src: Vec<char> = text.chars().collect();
    let (mut i, mut at) = (0, 0);
    let (mut year, mut month, mut day) = (1970i64, 1i64, 1i64);
    let (mut hour, mut minute, mut second, mut millis) = (0i64, 0i64, 0i64, 0i64);
    let (mut pm, mut offset_minutes) = (None, 0i64);
    let mut twelve_hour = false;
    while i < pat.len() {
        let c = pat[i];
        if c == '\'' {
            i += 1;
            while i < pat.len() && pat[i] != '\'' {
                (src.get(at) == Some(&pat[i])).then_some(())?;
                at += 1;
                i += 1;
            }
            i += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            (src.get(at) == Some(&c)).then_some(())?;
            at += 1;
            i += 1;
            continue;
        }
        let mut n = 1;
        while i + n < pat.len() && pat[i + n] == c {
            n += 1;
        }
        // Next to another number field (`yyyyMMdd`) a field takes exactly its width.
        let fixed = pat.get(i + n).is_some_and(char::is_ascii_alphabetic);
        let width = fixed.then_some(n);
        match c {
            'y' => {
                let start = at;
                let v = number(&src, &mut at, width)?;
                year = if n <= 2 && at - start == 2 {
                    two_digit_year(v)
                } else {
                    v
                };
            }
            'M' if n >= 3 => {
                let (m, len) = name_at(&src[at..], &MONTHS)?;
                month = m as i64 + 1;
                at += len;
            }
            'M' => month = number(&src, &mut at, width)?,
            'd' => day = number(&src, &mut at, width)?,
            'H' => hour = number(&src, &mut at, width)?,
            'h' => {
                hour = number(&src, &mut at, width)?;
                twelve_hour = true;
            }
            'm' => minute = number(&src, &mut at, width)?,
            's' => second = number(&src, &mut at, width)?,
            'S' => millis = number(&src, &mut at, width)?,
            'E' => at += name_at(&src[at..], &DAYS)?.1,
            'a' => {
                let rest: String = src[at..].iter().take(2).collect();
                pm = Some(match rest.to_ascii_uppercase().as_str() {
                    "AM" => false,
                    "PM" => true,
                    _ => return None,
                });
                at += 2;
            }
            'z' | 'Z' | 'X' => {
                let (minutes, len) = zone_at(&src[at..])?;
                offset_minutes = minutes;
                at += len;
            }
            _ => return None,
        }
        i += n;
    }
    if twelve_hour || pm.is_some() {
        hour = hour % 12 + if pm == Some(true) { 12 } else { 0 };
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis)
}

/// The digits at `at` (exactly `width` of them when given).
fn number(src: &[char], at: &mut usize, width: Option<usize>) -> Option<i64> {
    let start = *at;
    while *at < src.len() && src[*at].is_ascii_digit() && width.is_none_or(|w| *at - start < w) {
        *at += 1;
    }
    (*at > start).then_some(())?;
    src[start..*at].iter().collect::<String>().parse().ok()
}

/// `yy`: the century that puts the year within 80 years before and 20 after now.
fn two_digit_year(v: i64) -> i64 {
    let now = parts(now_millis()).year;
    let mut year = now / 100 * 100 + v;
    if year > now + 20 {
        year -= 100;
    } else if year <= now - 80 {
        year += 100;
    }
    year
}

/// A month or day name, full or in its first three letters, at the start of `src`:
/// (index, characters used).
fn name_at(src: &[char], names: &[&str]) -> Option<(usize, usize)> {
    let rest: String = src.iter().collect::<String>().to_lowercase();
    names.iter().enumerate().find_map(|(i, name)| {
        let name = name.to_lowercase();
        if rest.starts_with(&name) {
            Some((i, name.chars().count()))
        } else {
            rest.starts_with(&name[..3]).then_some((i, 3))
        }
    })
}

/// A zone at the start of `src`: `UTC`, `GMT`, `Z`, `+hhmm`, `+hh:mm` (minutes east, length).
fn zone_at(src: &[char]) -> Option<(i64, usize)> {
    let rest: String = src.iter().collect();
    for utc in ["UTC", "GMT", "Z"] {
        if rest.starts_with(utc) {
            return Some((0, utc.len()));
        }
    }
    let sign = match src.first()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = src[1..]
        .iter()
        .take(5)
        .filter(|c| **c != ':')
        .take(4)
        .collect();
    let used = if src.get(3) == Some(&':') { 6 } else { 5 };
    let (h, m) = (
        digits.get(..2)?.parse::<i64>().ok()?,
        digits.get(2..4)?.parse::<i64>().ok()?,
    );
    Some((sign * (h * 60 + m), used))
}
