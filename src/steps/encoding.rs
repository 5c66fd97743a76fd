//! Character sets for `readFile`/`writeFile`/`sh(encoding:)`: UTF-8 (the default, as the
//! agent platform default on every host we run on), ISO-8859-1, US-ASCII, and the pseudo
//! charset `Base64` that the file steps accept. Anything else is refused plainly.

use super::StepError;
use crate::report::base64_encode;

/// A charset this runtime can decode and encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Latin1,
    Ascii,
    Base64,
}

impl Charset {
    /// Java charset names and aliases, case-insensitively. `None` means the platform default.
    pub(crate) fn named(name: Option<&str>) -> Result<Self, StepError> {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
            return Ok(Self::Utf8);
        };
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Self::Utf8),
            "iso-8859-1" | "iso8859-1" | "latin1" | "l1" | "iso-latin-1" => Ok(Self::Latin1),
            "us-ascii" | "ascii" => Ok(Self::Ascii),
            "base64" => Ok(Self::Base64),
            _ => Err(StepError::unsupported(format!(
                "unsupported: encoding '{name}': this runtime knows UTF-8, ISO-8859-1, US-ASCII and Base64"
            ))),
        }
    }

    /// Bytes to text. Malformed input becomes U+FFFD, as Java's decoders do.
    pub(crate) fn decode(self, bytes: &[u8]) -> String {
        match self {
            Self::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Self::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Self::Ascii => bytes
                .iter()
                .map(|&b| {
                    if b.is_ascii() {
                        char::from(b)
                    } else {
                        '\u{FFFD}'
                    }
                })
                .collect(),
            Self::Base64 => base64_encode(bytes),
        }
    }

    /// Text to bytes. Unmappable characters become `?`, as Java's encoders do.
    pub(crate) fn encode(self, text: &str) -> Result<Vec<u8>, StepError> {
        Ok(match self {
            Self::Utf8 => text.as_bytes().to_vec(),
            Self::Latin1 => text
                .chars()
                .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                .collect(),
            Self::Ascii => text
                .chars()
                .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
                .collect(),
            Self::Base64 => base64_decode(text).ok_or_else(|| {
                StepError::failure("java.lang.IllegalArgumentException: Illegal base64 character")
            })?,
        })
    }
}

/// Standard (or URL-safe) base64; padding optional, whitespace ignored.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{Charset, base64_decode};
    use crate::report::base64_encode;

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_encode(b"hi!"), "aGkh");
        assert_eq!(base64_encode(b"h"), "aA==");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aA").unwrap(), b"h");
        assert!(base64_decode("a*").is_none());
    }

    #[test]
    fn latin1_maps_bytes_to_chars() {
        assert_eq!(Charset::Latin1.decode(&[0x63, 0x61, 0x66, 0xE9]), "café");
        assert_eq!(
            Charset::Latin1.encode("café€").unwrap(),
            vec![0x63, 0x61, 0x66, 0xE9, b'?']
        );
        assert!(Charset::named(Some("KOI8-R")).is_err());
        assert_eq!(Charset::named(Some("utf8")).unwrap(), Charset::Utf8);
    }
}
