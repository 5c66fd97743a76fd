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
