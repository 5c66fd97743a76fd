//! The `args` of a docker agent or `inside(args)`: split with shell-like quoting but no shell,
//! as Jenkins does, and mapped onto the container's create options. Only flags the engine API
//! can express are accepted; any other one is refused by name rather than silently dropped.

use super::Error;

/// The `docker run` options the agents pass on to the engine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunArgs {
    /// `-e K=V` (a bare `-e K` is dropped: it would copy the agent's own variable).
    pub env: Vec<String>,
    /// `-v src:dst[:opts]`.
    pub binds: Vec<String>,
    /// `--network host|none|…`.
    pub network: Option<String>,
    /// `-u uid[:gid]` overriding the agent user.
    pub user: Option<String>,
    /// `--entrypoint X` (empty: no entrypoint).
    pub entrypoint: Option<String>,
    pub privileged: bool,
    /// `--add-host name:ip`.
    pub extra_hosts: Vec<String>,
    /// `--group-add g`.
    pub group_add: Vec<String>,
}

/// Parses `args`.
///
/// # Errors
/// [`Error::Unsupported`] for a flag this agent does not implement, or unbalanced quotes.
pub fn parse_run_args(args: &str) -> Result<RunArgs, Error> {
    let words = split_words(args)?;
    let mut out = RunArgs::default();
    let mut it = words.into_iter();
    while let Some(word) = it.next() {
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        if flag == "--privileged" {
            out.privileged = true;
            continue;
        }
        let known = matches!(
            flag.as_str(),
            "-e" | "--env"
                | "-v"
                | "--volume"
                | "--network"
                | "--net"
                | "-u"
                | "--user"
                | "--entrypoint"
                | "--add-host"
                | "--group-add"
        );
        if !known {
            return Err(Error::Unsupported(format!(
                "docker run argument `{word}` is not supported by the docker agent (supported: -e, -v, --network, -u, --entrypoint, --privileged, --add-host, --group-add)"
            )));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| {
                Error::Unsupported(format!("docker run argument `{flag}` needs a value"))
            })?,
        };
        match flag.as_str() {
            "-e" | "--env" => {
                if value.contains('=') {
                    out.env.push(value);
                }
            }
            "-v" | "--volume" => out.binds.push(value),
            "--network" | "--net" => out.network = Some(value),
            "-u" | "--user" => out.user = Some(value),
            "--entrypoint" => out.entrypoint = Some(value),
            "--add-host" => out.extra_hosts.push(value),
            _ => out.group_add.push(value),
        }
    }
    Ok(out)
}

/// Shell-like word splitting: whitespace separates, single quotes are literal, double quotes
/// group and honour `\"` and `\\`, a backslash outside quotes escapes the next character.
///
/// # Errors
/// [`Error::Unsupported`] for unbalanced quotes.
pub fn split_words(text: &str) -> Result<Vec<String>, Error> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(unbalanced(text)),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(unbalanced(text)),
                        },
                        Some(c) => word.push(c),
                        None => return Err(unbalanced(text)),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cold]
fn unbalanced(text: &str) -> Error {
    Error::Unsupported(format!("unbalanced quotes in docker args `{text}`"))
}

#[cfg(test)]
mod tests {
    use super::{RunArgs, parse_run_args};

    #[test]
    fn flags_map_to_options_and_quotes_group() {
        let parsed =
            parse_run_args("-e 'A=b c' --network=host -v /a:/b:ro --entrypoint= -u 0:0").unwrap();
        assert_eq!(
            parsed,
            RunArgs {
                env: vec!["A=b c".into()],
                binds: vec!["/a:/b:ro".into()],
                network: Some("host".into()),
                user: Some("0:0".into()),
                entrypoint: Some(String::new()),
                ..RunArgs::default()
            }
        );
    }

    #[test]
    fn an_unknown_flag_is_refused_by_name() {
        let err = parse_run_args("--memory 1g").unwrap_err().to_string();
        assert!(err.contains("`--memory`"), "{err}");
    }
}
