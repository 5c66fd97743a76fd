//! Time texts: Jenkins' duration spans (`Util.getTimeSpanString`) and ISO-8601 timestamps
//! for `--timestamps`.

/// Jenkins' `Util.getTimeSpanString`: `12 ms`, `0.12 sec`, `1.2 sec`, `12 sec`,
/// `1 min 5 sec`, `12 min`, `1 hr 0 min`, `2 days 3 hr`, `1 mo 2 days`, `1 yr 2 mo`.
#[must_use]
pub fn timespan(millis: u64) -> String {
    const SECOND: u64 = 1000;
    const MINUTE: u64 = 60 * SECOND;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const MONTH: u64 = 30 * DAY;
    const YEAR: u64 = 365 * DAY;
    let years = millis / YEAR;
    let months = millis % YEAR / MONTH;
    let days = millis % YEAR % MONTH / DAY;
    let hours = millis % DAY / HOUR;
    let minutes = millis % HOUR / MINUTE;
    let seconds = millis % MINUTE / SECOND;
    let ms = millis % SECOND;
    let day = |n: u64| format!("{n} {}", if n == 1 { "day" } else { "days" });
    let pair = |big: u64, big_text: String, small_text: String| {
        if big < 10 {
            format!("{big_text} {small_text}")
        } else {
            big_text
        }
    };
    if years > 0 {
        pair(years, format!("{years} yr"), format!("{months} mo"))
    } else if months > 0 {
        pair(months, format!("{months} mo"), day(days))
    } else if days > 0 {
        pair(days, day(days), format!("{hours} hr"))
    } else if hours > 0 {
        pair(hours, format!("{hours} hr"), format!("{minutes} min"))
    } else if minutes > 0 {
        pair(minutes, format!("{minutes} min"), format!("{seconds} sec"))
    } else if seconds >= 10 {
        format!("{seconds} sec")
    } else if seconds >= 1 {
        // `seconds + (float)(millis / 100) / 10`, printed by MessageFormat: `1.2`, and `2` for 2.0.
        let tenths = ms / 100;
        if tenths == 0 {
            format!("{seconds} sec")
        } else {
            format!("{seconds}.{tenths} sec")
        }
    } else if ms >= 100 {
        // `(float)(millis / 10) / 100`: two decimals, trailing zeros dropped.
        let hundredths = ms / 10;
        let text = format!("0.{hundredths:02}");
        format!("{} sec", text.trim_end_matches('0'))
    } else {
        format!("{ms} ms")
    }
}

/// `2026-11-26T13:05:09.123Z`: the timestamper plugin's form in plain-text logs.
#[must_use]
pub fn iso8601(epoch_ms: u64) -> String {
    let secs = epoch_ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        epoch_ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::{iso8601, timespan};

    #[test]
    fn spans_read_like_jenkins() {
        assert_eq!(timespan(12), "12 ms");
        assert_eq!(timespan(120), "0.12 sec");
        assert_eq!(timespan(500), "0.5 sec");
        assert_eq!(timespan(1_200), "1.2 sec");
        assert_eq!(timespan(2_000), "2 sec");
        assert_eq!(timespan(12_000), "12 sec");
        assert_eq!(timespan(65_000), "1 min 5 sec");
        assert_eq!(timespan(12 * 60_000), "12 min");
        assert_eq!(timespan(3_600_000), "1 hr 0 min");
        assert_eq!(timespan(2 * 86_400_000 + 3 * 3_600_000), "2 days 3 hr");
    }

    #[test]
    fn iso_timestamps() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_795_698_309_123), "2026-11-26T13:05:09.123Z");
    }
}
