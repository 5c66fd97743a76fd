//! Where a secret field's value comes from: a literal, `{ env = … }`, `{ file = … }` or
//! `{ command = … }`. Paths expand `~` to HOME and are relative to the store file's
//! directory. Text read from a file or a command loses one trailing newline, as `pass show`
//! and `echo` add one.

use std::path::{Path, PathBuf};

/// One secret field's source, as written in the store.
#[derive(Clone, PartialEq, Eq)]
pub enum Source {
    Literal(String),
    Env(String),
    File(PathBuf),
    Command(String),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Literal(_) => f.write_str("Literal(<secret>)"),
            Source::Env(name) => write!(f, "Env({name})"),
            Source::File(path) => write!(f, "File({})", path.display()),
            Source::Command(_) => f.write_str("Command(..)"),
        }
    }
}

impl Source {
    /// Reads a field: a string is a literal, a table has exactly one of `env`, `file`,
    /// `command`. `base` is the store file's directory.
    pub fn parse(value: &toml::Value, base: &Path) -> Result<Source, String> {
        match value {
            toml::Value::String(s) => Ok(Source::Literal(s.clone())),
            toml::Value::Table(t) => {
                let keys: Vec<&str> = t.keys().map(String::as_str).collect();
                let (key, v) = match t.iter().next() {
                    Some((k, v)) if t.len() == 1 => (k.as_str(), v),
                    _ => {
                        return Err(format!(
                            "expected one of `env`, `file`, `command`, found {{{}}}",
                            keys.join(", ")
                        ));
                    }
                };
                let Some(text) = v.as_str() else {
                    return Err(format!("`{key}` must be a string"));
                };
                match key {
                    "env" => Ok(Source::Env(text.to_owned())),
                    "file" => Ok(Source::File(expand_path(text, base))),
                    "command" => Ok(Source::Command(text.to_owned())),
                    other => Err(format!(
                        "unknown source `{other}`: expected `env`, `file` or `command`"
                    )),
                }
            }
            _ => Err("expected a string or a table such as { env = \"NAME\" }".to_owned()),
        }
    }

    #[must_use]
    pub fn is_command(&self) -> bool {
        matches!(self, Source::Command(_))
    }

    /// The bytes of the value. `dir` is where a command runs (the store file's directory).
    pub async fn read(&self, dir: &Path) -> Result<Vec<u8>, String> {
        match self {
            Source::Literal(s) => Ok(s.clone().into_bytes()),
            Source::Env(name) => std::env::var(name)
                .map(String::into_bytes)
                .map_err(|_| format!("the environment variable {name} is not set")),
            Source::File(path) => tokio::fs::read(path)
                .await
                .map(strip_newline)
                .map_err(|e| format!("cannot read {}: {e}", path.display())),
            Source::Command(command) => {
                let output = tokio::process::Command::new("sh")
                    .arg("-c")
                    .arg(command)
                    .current_dir(dir)
                    .stdin(std::process::Stdio::null())
                    .stderr(std::process::Stdio::inherit())
                    .output()
                    .await
                    .map_err(|e| format!("cannot run its command: {e}"))?;
                if !output.status.success() {
                    // The command text may hold a secret; only its status is shown.
                    return Err(format!("its command failed ({})", output.status));
                }
                Ok(strip_newline(output.stdout))
            }
        }
    }

    /// The value as text (UTF-8 required).
    pub async fn read_text(&self, dir: &Path) -> Result<String, String> {
        String::from_utf8(self.read(dir).await?).map_err(|_| "the value is not UTF-8".to_owned())
    }
}

fn strip_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    bytes
}

/// `~` and `~/x` become HOME; relative paths are taken from `base`.
#[must_use]
pub(super) fn expand_path(text: &str, base: &Path) -> PathBuf {
    let home = || std::env::var_os("HOME").map(PathBuf::from);
    if text == "~" {
        if let Some(h) = home() {
            return h;
        }
    } else if let Some(rest) = text.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    base.join(text)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Source, expand_path};

    #[test]
    fn parses_each_form() {
        let base = Path::new("/store");
        let parse = |text: &str| {
            let v: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
            Source::parse(&v["v"], base)
        };
        assert_eq!(parse("\"lit\""), Ok(Source::Literal("lit".into())));
        assert_eq!(parse("{ env = \"X\" }"), Ok(Source::Env("X".into())));
        assert_eq!(
            parse("{ file = \"k\" }"),
            Ok(Source::File(Path::new("/store/k").into()))
        );
        assert_eq!(
            parse("{ command = \"pass show x\" }"),
            Ok(Source::Command("pass show x".into()))
        );
        assert!(parse("{ env = \"X\", file = \"y\" }").is_err());
        assert!(parse("{ vault = \"X\" }").is_err());
        assert!(parse("3").is_err());
    }

    #[test]
    fn tilde_is_home() {
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        assert_eq!(
            expand_path("~/.ssh/id", Path::new("/b")),
            Path::new(&home).join(".ssh/id")
        );
        assert_eq!(expand_path("/abs", Path::new("/b")), Path::new("/abs"));
        assert_eq!(expand_path("rel", Path::new("/b")), Path::new("/b/rel"));
    }

    #[tokio::test]
    async fn command_output_loses_one_newline() {
        let s = Source::Command("printf 'abc\\n'".into());
        assert_eq!(s.read_text(Path::new("/")).await.unwrap(), "abc");
        let failing = Source::Command("exit 3".into());
        assert!(failing.read(Path::new("/")).await.is_err());
    }
}
