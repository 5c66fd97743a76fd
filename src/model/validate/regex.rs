//! Just enough of `java.util.regex.Pattern`'s syntax checking to catch what `changelog`
//! patterns get wrong: unbalanced groups and classes, dangling quantifiers, bad repetitions.
//! The message starts like Java's (`Unclosed group near index 7`), without the echo lines.

/// `Err(description)` when Java would refuse to compile the pattern.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    // Whether the previous token can take a quantifier.
    let mut atom = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if i + 1 >= chars.len() {
                    return Err(format!("Unexpected internal error near index {}", i + 1));
                }
                i += 2;
                atom = true;
                continue;
            }
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(format!(
                        "Unclosed character class near index {}",
                        chars.len() - 1
                    ));
                }
                atom = true;
            }
            '(' => {
                depth += 1;
                atom = false;
                if chars.get(i + 1) == Some(&'?') {
                    i += 1;
                }
            }
            ')' => {
                if depth == 0 {
                    return Err(format!(
                        "Unmatched closing ')' near index {}",
                        i.saturating_sub(1)
                    ));
                }
                depth -= 1;
                atom = true;
            }
            '*' | '+' | '?' => {
                if !atom {
                    return Err(format!(
                        "Dangling meta character '{}' near index {i}",
                        chars[i]
                    ));
                }
                // A possessive or lazy suffix belongs to the quantifier.
                if matches!(chars.get(i + 1), Some('?' | '+')) {
                    i += 1;
                }
                atom = false;
            }
            '{' => {
                let close = chars[i..].iter().position(|&c| c == '}').map(|p| i + p);
                let body: String =
                    close.map_or_else(String::new, |c| chars[i + 1..c].iter().collect());
                let valid = !body.is_empty()
                    && body.split(',').count() <= 2
                    && body
                        .split(',')
                        .next()
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                    && body
                        .split(',')
                        .nth(1)
                        .is_none_or(|m| m.chars().all(|c| c.is_ascii_digit()));
                if !atom || !valid {
                    return Err(format!("Illegal repetition near index {i}"));
                }
                i = close.unwrap_or(i);
                atom = false;
            }
            _ => atom = true,
        }
        i += 1;
    }
    if depth > 0 {
        return Err(format!("Unclosed group near index {}", chars.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_ordinary_patterns() {
        for ok in [
            ".*\\[ci skip\\].*",
            "^(feat|fix)(\\(.+\\))?: .{1,72}$",
            "[a-z]+",
            "a{2,}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_what_java_rejects() {
        assert_eq!(
            check("{\"user_id\" : 24}"),
            Err("Illegal repetition near index 0".into())
        );
        assert!(check("(abc").unwrap_err().starts_with("Unclosed group"));
        assert!(
            check("*a")
                .unwrap_err()
                .starts_with("Dangling meta character '*'")
        );
        assert!(
            check("[abc")
                .unwrap_err()
                .starts_with("Unclosed character class")
        );
    }
}
