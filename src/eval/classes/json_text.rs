//! The JSON reader behind `JsonSlurper` and `JsonSlurperClassic`. It keeps each number as
//! Groovy 2.4 reads it, which a general JSON library cannot: a decimal is a `BigDecimal` with
//! the scale it was written with (`1.50` stays `1.50`, `1e3` is `1E+3`), an integer is an
//! `Integer`, `Long` or (`JsonSlurperClassic`) `BigInteger`. `JsonSlurper`'s own number
//! scanner accumulates a wider integer in a `long` and wraps, as Groovy 2.4's does.

use indexmap::IndexMap;
use num_bigint::BigInt;

use crate::eval::decimal::Dec;
use crate::eval::value::{Key, Value};

/// Which slurper reads the text (they differ only on integers wider than a `long`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Slurper,
    Classic,
}

/// The value of a complete JSON document, or `None` when it is not valid JSON (the caller
/// reports the error).
#[must_use]
pub fn read(text: &str, flavor: Flavor) -> Option<Value> {
    let mut r = Reader {
        s: text.as_bytes(),
        at: 0,
        flavor,
        depth: 0,
    };
    let v = r.value()?;
    r.skip_ws();
    (r.at == r.s.len()).then_some(v)
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
    flavor: Flavor,
    depth: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.s.len() && matches!(self.s[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, w: &str, v: Value) -> Option<Value> {
        if self.s[self.at..].starts_with(w.as_bytes()) {
            self.at += w.len();
            Some(v)
        } else {
            None
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_ws();
        // Deep nesting is refused rather than overflowing the stack.
        if self.depth > 512 {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.at += 1;
                self.depth += 1;
                let mut map = IndexMap::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return None;
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        let v = self.value()?;
                        map.insert(Key::str(&key), v);
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        return None;
                    }
                }
                self.depth -= 1;
                Some(Value::map(map))
            }
            b'[' => {
                self.at += 1;
                self.depth += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b',') {
                            continue;
                        }
                        if self.eat(b']') {
                            break;
                        }
                        return None;
                    }
                }
                self.depth -= 1;
                Some(Value::list(items))
            }
            b'"' => Some(Value::string(self.string()?)),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while self.at < self.s.len() && !matches!(self.s[self.at], b'"' | b'\\') {
                if self.s[self.at] < 0x20 {
                    return None;
                }
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.s[start..self.at]).ok()?);
            if self.peek()? == b'"' {
                self.at += 1;
                return Some(out);
            }
            self.at += 1;
            let c = match self.peek()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = self.hex4()?;
                    let c = if (0xd800..0xdc00).contains(&unit)
                        && self.s[self.at + 1..].starts_with(b"\\u")
                    {
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xdc00..0xe000).contains(&low) {
                            return None;
                        }
                        let code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                        char::from_u32(code)?
                    } else {
                        char::from_u32(unit).unwrap_or('\u{fffd}')
                    };
                    out.push(c);
                    self.at += 1;
                    continue;
                }
                _ => return None,
            };
            out.push(c);
            self.at += 1;
        }
    }

    /// The four hex digits after `\u` (the cursor is on the `u`; it ends on the last digit).
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.at + 1..self.at + 5)?;
        let text = std::str::from_utf8(digits).ok()?;
        let v = u32::from_str_radix(text, 16).ok()?;
        self.at += 4;
        Some(v)
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits_from = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        if self.at == digits_from {
            return None;
        }
        let mut decimal = false;
        if self.peek() == Some(b'.') {
            decimal = true;
            self.at += 1;
            let from = self.at;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == from {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            decimal = true;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            let from = self.at;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == from {
                return None;
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        if decimal {
            return Dec::parse(text).map(Value::Dec);
        }
        let big: BigInt = text.parse().ok()?;
        if let Ok(i) = i32::try_from(&big) {
            return Some(Value::Int(i));
        }
        if let Ok(l) = i64::try_from(&big) {
            return Some(Value::Long(l));
        }
        Some(match self.flavor {
            Flavor::Classic => Value::big(big),
            #[allow(clippy::cast_possible_truncation)]
            Flavor::Slurper => Value::Long(crate::eval::num::low_bits(&big) as i64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Flavor, read};
    use crate::eval::text::to_string;

    fn show(text: &str, flavor: Flavor) -> String {
        to_string(&read(text, flavor).expect("valid JSON"))
    }

    #[test]
    fn decimals_keep_their_scale() {
        let json = r#"{"a": 1.50, "b": 2.50e3, "c": 1e3, "d": -0.0, "e": [0.5e-1, 1E+2]}"#;
        assert_eq!(
            show(json, Flavor::Slurper),
            "[a:1.50, b:2.50E+3, c:1E+3, d:0.0, e:[0.05, 1E+2]]"
        );
    }

    #[test]
    fn wide_integers_as_each_slurper_reads_them() {
        let json = r#"[2147483648, 12345678901234567890123, "\u00e9\n"]"#;
        assert_eq!(
            show(json, Flavor::Classic),
            "[2147483648, 12345678901234567890123, é\n]"
        );
        assert_eq!(
            show(json, Flavor::Slurper),
            "[2147483648, 4807115922877859019, é\n]"
        );
    }

    #[test]
    fn invalid_text_is_refused() {
        for bad in ["{", "[1,]", "01x", "\"a", "{\"a\" 1}", "1 2", "-", "1."] {
            assert!(read(bad, Flavor::Slurper).is_none(), "{bad}");
        }
    }
}
