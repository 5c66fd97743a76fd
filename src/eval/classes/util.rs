//! Small JDK utility classes pipelines reach for: `java.util.Calendar` (UTC only, like
//! `Date`), `UUID`, `java.security.MessageDigest` (MD5, SHA-1, SHA-256, SHA-512),
//! `java.util.Base64`'s encoders and decoders, and `StringReader` for `Properties.load`
//! (the `Properties` map itself is a map kind, see `gdk/map.rs`).

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use super::{date, utc_only};
use crate::eval::flow::{Flow, R};
use crate::eval::object::Object;
use crate::eval::text::to_string;
use crate::eval::value::Value;

#[derive(Debug)]
pub enum Util {
    /// Milliseconds since the epoch; fields are read and changed in UTC.
    Calendar(Cell<i64>),
    Uuid(u128),
    Digest {
        algorithm: String,
        data: RefCell<Vec<u8>>,
    },
    /// `Base64.getEncoder()` and friends.
    Base64 {
        decoder: bool,
        url: bool,
    },
    StringReader(String),
    Url(Url),
    /// `java.util.Optional` (`optional.rs`).
    Optional(Option<Value>),
    /// `String.CASE_INSENSITIVE_ORDER`, the one `Comparator` object scripts name.
    CaseInsensitiveOrder,
}

/// `String.CASE_INSENSITIVE_ORDER.compare(a, b)`: the first difference of the characters
/// upper-cased then lower-cased, else of the lengths.
#[must_use]
pub fn case_insensitive_diff(a: &Value, b: &Value) -> i32 {
    let fold = |c: char| {
        c.to_uppercase()
            .flat_map(char::to_lowercase)
            .next()
            .unwrap_or(c)
    };
    let (a, b) = (to_string(a), to_string(b));
    let (a, b): (Vec<u16>, Vec<u16>) = (a.encode_utf16().collect(), b.encode_utf16().collect());
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (
            char::from_u32(u32::from(*x)).map_or(u32::from(*x), |c| u32::from(fold(c))),
            char::from_u32(u32::from(*y)).map_or(u32::from(*y), |c| u32::from(fold(c))),
        );
        if x != y {
            return x as i32 - y as i32;
        }
    }
    a.len() as i32 - b.len() as i32
}

/// The order of `String.CASE_INSENSITIVE_ORDER`.
#[must_use]
pub fn case_insensitive(a: &Value, b: &Value) -> std::cmp::Ordering {
    case_insensitive_diff(a, b).cmp(&0)
}

/// `String.CASE_INSENSITIVE_ORDER`.
#[must_use]
pub fn case_insensitive_order() -> Value {
    wrap(Util::CaseInsensitiveOrder)
}

/// A `java.net.URL`, split as Java splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    text: String,
    protocol: String,
    user_info: Option<String>,
    host: String,
    port: i32,
    path: String,
    query: Option<String>,
    reference: Option<String>,
}

impl Util {
    #[must_use]
    pub fn class_name(&self) -> &'static str {
        match self {
            Util::Calendar(_) => "java.util.GregorianCalendar",
            Util::Uuid(_) => "java.util.UUID",
            Util::Digest { .. } => "java.security.MessageDigest",
            Util::Base64 { decoder: false, .. } => "java.util.Base64$Encoder",
            Util::Base64 { decoder: true, .. } => "java.util.Base64$Decoder",
            Util::StringReader(_) => "java.io.StringReader",
            Util::Url(_) => "java.net.URL",
            Util::Optional(_) => "java.util.Optional",
            Util::CaseInsensitiveOrder => "java.lang.String$CaseInsensitiveComparator",
        }
    }

    #[must_use]
    pub fn to_text(&self) -> Option<String> {
        match self {
            Util::Uuid(u) => Some(uuid_text(*u)),
            Util::Url(u) => Some(u.text.clone()),
            Util::Optional(v) => Some(super::optional::text(v.as_ref())),
            _ => None,
        }
    }

    #[must_use]
    pub fn equals(&self, other: &Util) -> bool {
        match (self, other) {
            (Util::Uuid(a), Util::Uuid(b)) => a == b,
            (Util::Url(a), Util::Url(b)) => a == b,
            (Util::Calendar(a), Util::Calendar(b)) => a.get() == b.get(),
            (Util::Optional(a), Util::Optional(b)) => match (a, b) {
                (Some(a), Some(b)) => crate::eval::compare::java_equals(a, b),
                (a, b) => a.is_none() && b.is_none(),
            },
            _ => false,
        }
    }
}

fn wrap(u: Util) -> Value {
    Value::Object(Rc::new(Object::Util(u)))
}

/// A `byte[]` as scripts hold it (a list of signed bytes) into bytes; a string gives its
/// UTF-8 bytes.
pub(crate) fn bytes_of(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::List(l) => l
            .borrow()
            .iter()
            .map(|b| b.as_i64().map(|b| b as u8))
            .collect(),
        Value::Str(s) | Value::GStr(s) => Some(s.as_bytes().to_vec()),
        _ => None,
    }
}

/// Bytes as a `byte[]` value (signed, as Java prints them).
pub(crate) fn byte_list(bytes: &[u8]) -> Value {
    Value::list(
        bytes
            .iter()
            .map(|b| Value::Int(i32::from(*b as i8)))
            .collect(),
    )
}

#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `new T(args)` for these classes.
#[must_use]
pub fn construct(class: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (class, args) {
        ("StringReader", [s]) => wrap(Util::StringReader(to_string(s))),
        ("URL", [s]) => match parse_url(&to_string(s)) {
            Ok(u) => wrap(Util::Url(u)),
            Err(e) => return Some(Err(e)),
        },
        ("GregorianCalendar", []) => wrap(Util::Calendar(Cell::new(date::now_millis()))),
        _ => return None,
    }))
}

/// `Calendar.YEAR` and the other field numbers.
#[must_use]
pub fn static_property(class: &str, name: &str) -> Option<Value> {
    if class != "Calendar" {
        return None;
    }
    let n = match name {
        "ERA" => 0,
        "YEAR" => 1,
        "MONTH" => 2,
        "WEEK_OF_YEAR" => 3,
        "DATE" | "DAY_OF_MONTH" => 5,
        "DAY_OF_YEAR" => 6,
        "DAY_OF_WEEK" => 7,
        "AM_PM" => 9,
        "HOUR" => 10,
        "HOUR_OF_DAY" => 11,
        "MINUTE" => 12,
        "SECOND" => 13,
        "MILLISECOND" => 14,
        "JANUARY" => 0,
        "FEBRUARY" => 1,
        "MARCH" => 2,
        "APRIL" => 3,
        "MAY" => 4,
        "JUNE" => 5,
        "JULY" => 6,
        "AUGUST" => 7,
        "SEPTEMBER" => 8,
        "OCTOBER" => 9,
        "NOVEMBER" => 10,
        "DECEMBER" => 11,
        "SUNDAY" => 1,
        "MONDAY" => 2,
        "TUESDAY" => 3,
        "WEDNESDAY" => 4,
        "THURSDAY" => 5,
        "FRIDAY" => 6,
        "SATURDAY" => 7,
        _ => return None,
    };
    Some(Value::Int(n))
}

/// Static methods: `Calendar.getInstance`, `UUID.randomUUID`, `MessageDigest.getInstance`,
/// `Base64.getEncoder`, ….
#[must_use]
pub fn call_static(class: &str, name: &str, args: &[Value]) -> Option<R<Value>> {
    Some(Ok(match (class, name, args) {
        ("Calendar", "getInstance", []) => wrap(Util::Calendar(Cell::new(date::now_millis()))),
        ("Calendar", "getInstance", [tz, ..]) => {
            if let Err(e) = utc_only(&to_string(tz)) {
                return Some(Err(e));
            }
            wrap(Util::Calendar(Cell::new(date::now_millis())))
        }
        ("UUID", "randomUUID", []) => match random_uuid() {
            Ok(u) => wrap(Util::Uuid(u)),
            Err(e) => return Some(Err(e)),
        },
        ("UUID", "fromString", [s]) => match parse_uuid(&to_string(s)) {
            Some(u) => wrap(Util::Uuid(u)),
            None => {
                return Some(Err(Flow::exception(
                    "java.lang.IllegalArgumentException",
                    format!("Invalid UUID string: {}", to_string(s)),
                )));
            }
        },
        ("UUID", "nameUUIDFromBytes", [b]) => {
            let mut d: [u8; 16] = Md5::digest(bytes_of(b)?).into();
            d[6] = (d[6] & 0x0f) | 0x30;
            d[8] = (d[8] & 0x3f) | 0x80;
            wrap(Util::Uuid(u128::from_be_bytes(d)))
        }
        ("MessageDigest", "getInstance", [a, ..]) => {
            let algorithm = to_string(a).to_uppercase();
            if digest(&algorithm, b"").is_none() {
                return Some(Err(Flow::exception(
                    "java.security.NoSuchAlgorithmException",
                    format!("{} MessageDigest not available", to_string(a)),
                )));
            }
            wrap(Util::Digest {
                algorithm,
                data: RefCell::new(Vec::new()),
            })
        }
        ("Base64", coder, []) => {
            let (decoder, url) = match coder {
                "getEncoder" | "getMimeEncoder" => (false, false),
                "getUrlEncoder" => (false, true),
                "getDecoder" | "getMimeDecoder" => (true, false),
                "getUrlDecoder" => (true, true),
                _ => return None,
            };
            wrap(Util::Base64 { decoder, url })
        }
        _ => return None,
    }))
}

fn digest(algorithm: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(match algorithm {
        "MD5" => Md5::digest(data).to_vec(),
        "SHA-1" | "SHA1" | "SHA" => Sha1::digest(data).to_vec(),
        "SHA-256" | "SHA256" => Sha256::digest(data).to_vec(),
        "SHA-512" | "SHA512" => Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

fn random_uuid() -> R<u128> {
    use std::io::Read as _;
    let mut b = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut b))
        .map_err(|e| {
            Flow::exception(
                "java.lang.InternalError",
                format!("UUID.randomUUID: no random source: {e}"),
            )
        })?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Ok(u128::from_be_bytes(b))
}

fn uuid_text(u: u128) -> String {
    let h = format!("{u:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn parse_uuid(s: &str) -> Option<u128> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 5 || parts.iter().any(|p| p.is_empty() || p.len() > 16) {
        return None;
    }
    let widths = [32u32, 16, 16, 16, 48];
    let mut u: u128 = 0;
    for (p, w) in parts.iter().zip(widths) {
        let v = u128::from_str_radix(p, 16).ok()?;
        if v >> w != 0 {
            return None;
        }
        u = (u << w) | v;
    }
    Some(u)
}

/// Methods of these objects.
pub fn method(util: &Util, name: &str, args: &[Value]) -> Option<R<Value>> {
    match util {
        Util::Calendar(ms) => calendar(ms, name, args),
        Util::Optional(v) => super::optional::method(v.as_ref(), name, args),
        Util::CaseInsensitiveOrder => match (name, args) {
            ("compare", [a, b]) => Some(Ok(Value::Int(case_insensitive_diff(a, b)))),
            _ => None,
        },
        Util::Uuid(u) => Some(Ok(match (name, args) {
            ("toString", []) => Value::string(uuid_text(*u)),
            ("version", []) => Value::Int(((*u >> 76) & 0xf) as i32),
            _ => return None,
        })),
        Util::Digest { algorithm, data } => Some(Ok(match (name, args) {
            ("update", [b]) => {
                data.borrow_mut().extend(bytes_of(b)?);
                Value::Null
            }
            ("digest", rest) if rest.len() <= 1 => {
                if let Some(b) = rest.first() {
                    data.borrow_mut().extend(bytes_of(b)?);
                }
                let input = std::mem::take(&mut *data.borrow_mut());
                byte_list(&digest(algorithm, &input)?)
            }
            ("reset", []) => {
                data.borrow_mut().clear();
                Value::Null
            }
            ("getAlgorithm", []) => Value::string(algorithm.clone()),
            _ => return None,
        })),
        Util::Base64 { decoder, url } => Some(Ok(match (name, args, decoder) {
            ("encodeToString", [b], false) => Value::string(encode(&bytes_of(b)?, *url)),
            ("encode", [b], false) => byte_list(encode(&bytes_of(b)?, *url).as_bytes()),
            ("decode", [s], true) => {
                let text = match s {
                    Value::List(_) => String::from_utf8_lossy(&bytes_of(s)?).into_owned(),
                    other => to_string(other),
                };
                let text = if *url {
                    text.replace('-', "+").replace('_', "/")
                } else {
                    text
                };
                match crate::eval::gdk::decode_base64(&text) {
                    Some(bytes) => byte_list(&bytes),
                    None => {
                        return Some(Err(Flow::exception(
                            "java.lang.IllegalArgumentException",
                            "Illegal base64 character",
                        )));
                    }
                }
            }
            _ => return None,
        })),
        Util::Url(u) => url_method(u, name, args),
        Util::StringReader(text) => Some(Ok(match (name, args) {
            ("getText" | "readLine", []) => Value::string(text.clone()),
            ("readLines", []) => Value::list(text.lines().map(Value::str).collect()),
            ("close", []) => Value::Null,
            _ => return None,
        })),
    }
}

fn encode(bytes: &[u8], url: bool) -> String {
    let text = crate::steps::base64(bytes);
    if url {
        text.replace('+', "-").replace('/', "_")
    } else {
        text
    }
}

fn malformed(message: String) -> Flow {
    Flow::exception("java.net.MalformedURLException", message)
}

/// `new URL(text)`: `protocol://[userInfo@]host[:port][path][?query][#ref]`.
fn parse_url(text: &str) -> R<Url> {
    let Some((protocol, rest)) = text.split_once(':') else {
        return Err(malformed(format!("no protocol: {text}")));
    };
    let protocol = protocol.to_ascii_lowercase();
    if !matches!(
        protocol.as_str(),
        "http" | "https" | "ftp" | "file" | "jar" | "mailto"
    ) {
        return Err(malformed(format!("unknown protocol: {protocol}")));
    }
    let (rest, reference) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q.to_string())),
        None => (rest, None),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => match after.find('/') {
            Some(i) => (&after[..i], after[i..].to_string()),
            None => (after, String::new()),
        },
        None => ("", rest.to_string()),
    };
    let (user_info, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_string()), h),
        None => (None, authority),
    };
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => {
            if p.is_empty() {
                (h, -1)
            } else {
                let port = p
                    .parse::<i32>()
                    .map_err(|_| malformed(format!("For input string: \"{p}\"")))?;
                (h, port)
            }
        }
        _ => (host_port, -1),
    };
    Ok(Url {
        text: text.to_string(),
        protocol,
        user_info,
        host: host.to_string(),
        port,
        path,
        query,
        reference,
    })
}

fn url_method(u: &Url, name: &str, args: &[Value]) -> Option<R<Value>> {
    let opt = |v: &Option<String>| v.as_deref().map_or(Value::Null, Value::str);
    Some(Ok(match (name, args) {
        ("toString" | "toExternalForm", []) => Value::string(u.text.clone()),
        ("getProtocol", []) => Value::string(u.protocol.clone()),
        ("getHost", []) => Value::string(u.host.clone()),
        ("getPort", []) => Value::Int(u.port),
        ("getDefaultPort", []) => Value::Int(match u.protocol.as_str() {
            "http" => 80,
            "https" => 443,
            "ftp" => 21,
            _ => -1,
        }),
        ("getPath", []) => Value::string(u.path.clone()),
        ("getQuery", []) => opt(&u.query),
        ("getRef", []) => opt(&u.reference),
        ("getUserInfo", []) => opt(&u.user_info),
        ("getFile", []) => Value::string(match &u.query {
            Some(q) => format!("{}?{q}", u.path),
            None => u.path.clone(),
        }),
        ("getAuthority", []) => {
            let mut a = u
                .user_info
                .as_ref()
                .map_or_else(String::new, |i| format!("{i}@"));
            a.push_str(&u.host);
            if u.port >= 0 {
                let _ = write!(a, ":{}", u.port);
            }
            if a.is_empty() {
                Value::Null
            } else {
                Value::string(a)
            }
        }
        ("getText" | "openConnection" | "openStream" | "getContent", _) => {
            return Some(Err(Flow::fatal(
                format!(
                    "unsupported: URL.{name}() would reach the network ({}), which a local run does not do",
                    u.text
                ),
                crate::source::Span::default(),
            )));
        }
        _ => return None,
    }))
}

/// Days since the epoch of a civil date (the inverse of `date::civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar fields of a time: (year, month 0-based, day, hour, minute, second, milli).
fn fields(ms: i64) -> [i64; 7] {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = date::civil(days);
    [
        y,
        i64::from(m) - 1,
        i64::from(d),
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    ]
}

/// A time from fields, normalising overflowing months and days as a lenient calendar does.
fn from_fields(f: [i64; 7]) -> i64 {
    let year = f[0] + f[1].div_euclid(12);
    let month = f[1].rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1) + f[2] - 1;
    days * 86_400_000 + f[3] * 3_600_000 + f[4] * 60_000 + f[5] * 1000 + f[6]
}

fn last_day(year: i64, month0: i64) -> i64 {
    let next = from_fields([year, month0 + 1, 1, 0, 0, 0, 0]);
    let this = from_fields([year, month0, 1, 0, 0, 0, 0]);
    (next - this) / 86_400_000
}

fn calendar(ms: &Cell<i64>, name: &str, args: &[Value]) -> Option<R<Value>> {
    let field = |v: &Value| v.as_i64();
    let unsupported = |n: i64| {
        Err(Flow::fatal(
            format!("unsupported Calendar field {n}"),
            crate::source::Span::default(),
        ))
    };
    Some(Ok(match (name, args) {
        ("getTime", []) => Value::Object(Rc::new(Object::Date(ms.get()))),
        ("getTimeInMillis", []) => Value::Long(ms.get()),
        ("setTimeInMillis", [v]) => {
            ms.set(v.as_i64()?);
            Value::Null
        }
        ("setTime", [Value::Object(d)]) => match &**d {
            Object::Date(t) => {
                ms.set(*t);
                Value::Null
            }
            _ => return None,
        },
        ("setTimeZone", [tz]) => match utc_only(&to_string(tz)) {
            Ok(()) => Value::Null,
            Err(e) => return Some(Err(e)),
        },
        ("get", [f]) => {
            let t = ms.get();
            let p = fields(t);
            let days = t.div_euclid(86_400_000);
            Value::Int(match field(f)? {
                0 => 1,
                1 => p[0],
                2 => p[1],
                5 => p[2],
                6 => days - days_from_civil(p[0], 1, 1) + 1,
                // 1970-01-01 was a Thursday; Sunday is 1.
                7 => (days + 4).rem_euclid(7) + 1,
                9 => i64::from(p[3] >= 12),
                10 => p[3] % 12,
                11 => p[3],
                12 => p[4],
                13 => p[5],
                14 => p[6],
                n => return Some(unsupported(n)),
            } as i32)
        }
        ("set", [f, v]) => {
            let mut p = fields(ms.get());
            let v = v.as_i64()?;
            let slot = match field(f)? {
                1 => 0,
                2 => 1,
                5 => 2,
                10 | 11 => 3,
                12 => 4,
                13 => 5,
                14 => 6,
                n => return Some(unsupported(n)),
            };
            p[slot] = v;
            ms.set(from_fields(p));
            Value::Null
        }
        ("set", [y, m, d, rest @ ..]) if rest.is_empty() || rest.len() == 2 || rest.len() == 3 => {
            let mut p = fields(ms.get());
            p[0] = y.as_i64()?;
            p[1] = m.as_i64()?;
            p[2] = d.as_i64()?;
            for (i, v) in rest.iter().enumerate() {
                p[3 + i] = v.as_i64()?;
            }
            ms.set(from_fields(p));
            Value::Null
        }
        ("add", [f, n]) => {
            let n = n.as_i64()?;
            let t = ms.get();
            let step = |unit: i64| t + n * unit;
            ms.set(match field(f)? {
                1 | 2 => {
                    let mut p = fields(t);
                    if field(f)? == 1 {
                        p[0] += n;
                    } else {
                        p[1] += n;
                    }
                    // Adding months keeps the day, clamped to the new month's length.
                    let year = p[0] + p[1].div_euclid(12);
                    p[2] = p[2].min(last_day(year, p[1].rem_euclid(12)));
                    from_fields(p)
                }
                3 => step(7 * 86_400_000),
                5..=7 => step(86_400_000),
                10 | 11 => step(3_600_000),
                12 => step(60_000),
                13 => step(1000),
                14 => step(1),
                other => return Some(unsupported(other)),
            });
            Value::Null
        }
        ("getActualMaximum", [f]) if field(f)? == 5 => {
            let p = fields(ms.get());
            Value::Int(last_day(p[0], p[1]) as i32)
        }
        ("clone", []) => wrap(Util::Calendar(Cell::new(ms.get()))),
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        for days in [-1000, 0, 45, 59, 365, 11_016, 20_000] {
            let (y, m, d) = date::civil(days);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), days);
        }
    }

    #[test]
    fn uuid_text_round_trips() {
        let text = "cec315e3-d097-3e5c-8281-1d5d8725f149";
        assert_eq!(parse_uuid(text).map(uuid_text).as_deref(), Some(text));
        assert_eq!(parse_uuid("not-a-uuid"), None);
    }
}
