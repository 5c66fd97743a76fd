//! The `args` of a docker agent, `inside(args)`, `withDockerContainer(args:)` and
//! `run`/`withRun(args)`: split with shell-like quoting but no shell, each word then expanded
//! from the step's environment (`$VAR`, `${VAR}`; unknown names stay as written), as Jenkins'
//! launcher does (runtime-semantics §8.1, §8.7), and mapped onto the container's create
//! options (`apply`). The flags real pipelines use are accepted (`-i`/`-t` as no-ops); any
//! other one is refused by name rather than silently dropped.

mod apply;
mod gpus;
mod ports;
mod units;
mod values;
mod volumes;

use std::path::Path;

pub(super) use self::gpus::GpuRequest;
use self::units::{flag_error, flag_names};
pub use self::values::PullPolicy;
use self::values::{MountSpec, PortSpec, parse_device, parse_mount, parse_sysctl, parse_ulimit};
use super::Error;

/// The `docker run` options the agents pass on to the engine.
#[derive(Clone, Debug, Default, PartialEq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is one independent `docker run` switch, as the engine's HostConfig has them"
)]
pub struct RunArgs {
    /// `-e K=V`, `-e K` (from the step environment) and `--env-file` lines.
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
    /// `-p [ip:][host:]container[/proto]`, one per port of a range.
    pub ports: Vec<PortSpec>,
    pub name: Option<String>,
    pub links: Vec<String>,
    pub shm_size: Option<i64>,
    pub memory: Option<i64>,
    /// `--memory-swap` (-1: unlimited).
    pub memory_swap: Option<i64>,
    /// `--cpus`, in billionths of a CPU.
    pub nano_cpus: Option<i64>,
    /// `--tmpfs path[:options]`.
    pub tmpfs: Vec<(String, String)>,
    /// `--ulimit name=soft[:hard]`.
    pub ulimits: Vec<(String, i64, i64)>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `--device host[:container[:permissions]]`.
    pub devices: Vec<(String, String, String)>,
    pub dns: Vec<String>,
    pub security_opt: Vec<String>,
    pub ipc: Option<String>,
    pub pid: Option<String>,
    pub hostname: Option<String>,
    /// `-l key[=value]`.
    pub labels: Vec<(String, String)>,
    pub mounts: Vec<MountSpec>,
    pub init: bool,
    /// `--volumes-from container[:ro|rw]`.
    pub volumes_from: Vec<String>,
    /// `--sysctl name=value`.
    pub sysctls: Vec<(String, String)>,
    /// `--gpus`.
    pub gpus: Vec<GpuRequest>,
    /// `--pull always|missing|never`.
    pub pull: Option<PullPolicy>,
    /// Lines for the log about how an argument was read (a `-v` source that names a volume
    /// although the workspace has such a directory).
    pub notes: Vec<String>,
    /// `--rm`: honoured by `run`/`withRun`; an agent's container is removed anyway.
    pub auto_remove: bool,
    /// `-w`: honoured by `run`/`withRun`; an agent's `-w` is the workspace, as in Jenkins.
    pub workdir: Option<String>,
    /// `--read-only`: the container's root filesystem is read-only.
    pub read_only: bool,
    /// `-P`, `--publish-all`.
    pub publish_all: bool,
    /// `--expose port[/proto]`, one per port of a range, as `port/proto`.
    pub expose: Vec<String>,
    /// `--restart no|always|unless-stopped|on-failure[:max]`: `(name, max retries)`.
    pub restart: Option<(String, Option<i64>)>,
    /// `--platform os[/arch[/variant]]`: a query parameter of the create request.
    pub platform: Option<String>,
}

/// Where `args` are read: the step's environment (for `$VAR`, `-e NAME` and `--env-file`
/// lines without a value) and the directory relative `--env-file` paths start from.
pub struct ArgsContext<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub cwd: &'a Path,
}

/// Switches that change nothing for a container Jenkins starts with `-t -d`.
const INERT: &[&str] = &["-i", "-t", "-it", "-ti", "--interactive", "--tty"];

/// Flags without a value.
const SWITCHES: &[&str] = &[
    "--privileged",
    "--init",
    "--rm",
    "--read-only",
    "-P",
    "--publish-all",
];

/// Flags with a value (long and short forms).
const VALUED: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--network",
    "--net",
    "-u",
    "--user",
    "--entrypoint",
    "--add-host",
    "--group-add",
    "-p",
    "--publish",
    "--name",
    "--link",
    "--shm-size",
    "-m",
    "--memory",
    "--cpus",
    "--tmpfs",
    "--ulimit",
    "--cap-add",
    "--cap-drop",
    "--device",
    "--dns",
    "--security-opt",
    "--ipc",
    "--pid",
    "-h",
    "--hostname",
    "-l",
    "--label",
    "--mount",
    "-w",
    "--workdir",
    "--memory-swap",
    "--volumes-from",
    "--sysctl",
    "--gpus",
    "--pull",
    "--expose",
    "--restart",
    "--platform",
];

/// Parses `args` without an environment (tests, and callers with nothing to expand).
///
/// # Errors
/// As [`parse_run_args_in`].
pub fn parse_run_args(args: &str) -> Result<RunArgs, Error> {
    parse_run_args_in(
        args,
        &ArgsContext {
            env: &|_| None,
            cwd: Path::new("."),
        },
    )
}

/// Parses `args`, expanding each word from `context.env`.
///
/// # Errors
/// [`Error::Unsupported`] for a flag the engine API cannot express (named), a bad value, an
/// unreadable `--env-file`, or unbalanced quotes.
pub fn parse_run_args_in(args: &str, context: &ArgsContext<'_>) -> Result<RunArgs, Error> {
    let words: Vec<String> = split_words(args)?
        .into_iter()
        .map(|w| expand(&w, context.env))
        .collect();
    let mut out = RunArgs::default();
    let mut it = words.into_iter();
    while let Some(word) = it.next() {
        // The container already has a TTY (`-t`, as Jenkins starts it) and no stdin is
        // attached, so `-i`/`-t` change nothing; the docker CLI accepts them, so do we.
        if INERT.contains(&word.as_str()) {
            continue;
        }
        let (flag, inline) = split_flag(&word);
        if let Some(switch) = SWITCHES.iter().find(|s| **s == flag) {
            let on = match inline.as_deref() {
                None | Some("true") => true,
                Some("false") => false,
                Some(other) => {
                    return Err(bad(format!("`{flag}` takes true or false, not `{other}`")));
                }
            };
            match *switch {
                "--privileged" => out.privileged = on,
                "--init" => out.init = on,
                "--read-only" => out.read_only = on,
                "-P" | "--publish-all" => out.publish_all = on,
                _ => out.auto_remove = on,
            }
            continue;
        }
        if !word.starts_with('-') {
            return Err(bad(format!(
                "unexpected positional argument `{word}`: args holds options only (the image \
                 and the command come from the step); quote a value that has spaces"
            )));
        }
        if !VALUED.contains(&flag.as_str()) {
            return Err(bad(format!(
                "unsupported locally: `{flag}` (this tool passes `docker run` options to the \
                 engine itself, and knows: -e, --env-file, -v, --mount, --volumes-from, \
                 --tmpfs, -p, -P, --expose, --network, --link, --add-host, --dns, -h, --name, \
                 -u, --group-add, --entrypoint, -w, -l, --privileged, --read-only, --cap-add, \
                 --cap-drop, --security-opt, --sysctl, --device, --gpus, --ipc, --pid, \
                 --shm-size, -m, --memory-swap, --cpus, --ulimit, --restart, --platform, \
                 --init, --rm, --pull, -i, -t)"
            )));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .ok_or_else(|| bad(format!("`{flag}` needs a value")))?,
        };
        take(&mut out, &flag, value, context)?;
    }
    Ok(out)
}

/// `--flag=value`, `-fvalue` / `-f=value` (short flags as the CLI's flag parser reads them),
/// or the flag alone.
fn split_flag(word: &str) -> (String, Option<String>) {
    if word.starts_with("--") {
        return match word.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (word.to_string(), None),
        };
    }
    if word.len() > 2 && word.starts_with('-') && word.is_char_boundary(2) {
        let (flag, rest) = word.split_at(2);
        if VALUED.contains(&flag) {
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            return (flag.to_string(), Some(rest.to_string()));
        }
    }
    (word.to_string(), None)
}

fn take(
    out: &mut RunArgs,
    flag_name: &str,
    value: String,
    context: &ArgsContext<'_>,
) -> Result<(), Error> {
    // A value the CLI's flag parser refuses, in its words.
    let flag = |reason: String| bad(flag_error(flag_names(flag_name), &value, &reason));
    match flag_name {
        "-e" | "--env" => {
            if value.contains('=') {
                out.env.push(value);
            } else if let Some(v) = (context.env)(&value) {
                // The CLI copies the variable from its own environment; unset, it is dropped.
                out.env.push(format!("{value}={v}"));
            }
        }
        "--env-file" => out.env.extend(env_file(&value, context)?),
        "-v" | "--volume" => {
            let (bind, note) = volumes::bind(&value, context.cwd);
            out.binds.push(bind);
            out.notes.extend(note);
        }
        "--volumes-from" => out.volumes_from.push(value),
        "--sysctl" => out.sysctls.push(parse_sysctl(&value).map_err(flag)?),
        "--gpus" => out.gpus.push(gpus::parse_gpus(&value).map_err(flag)?),
        "--pull" => out.pull = Some(PullPolicy::parse(&value).map_err(bad)?),
        "--network" | "--net" => out.network = Some(value),
        "-u" | "--user" => out.user = Some(value),
        "--entrypoint" => out.entrypoint = Some(value),
        "--add-host" => out.extra_hosts.push(value),
        "--group-add" => out.group_add.push(value),
        "-p" | "--publish" => out.ports.extend(ports::parse_publish(&value).map_err(bad)?),
        "--name" => out.name = Some(value),
        "--link" => out.links.push(value),
        "--shm-size" => out.shm_size = Some(units::ram_in_bytes(&value).map_err(flag)?),
        "-m" | "--memory" => out.memory = Some(units::ram_in_bytes(&value).map_err(flag)?),
        "--memory-swap" => out.memory_swap = Some(units::swap_bytes(&value).map_err(flag)?),
        "--cpus" => out.nano_cpus = Some(units::nano_cpus(&value).map_err(flag)?),
        "--tmpfs" => out.tmpfs.push(match value.split_once(':') {
            Some((path, options)) => (path.to_string(), options.to_string()),
            None => (value, String::new()),
        }),
        "--ulimit" => out.ulimits.push(parse_ulimit(&value)?),
        "--cap-add" => out.cap_add.push(value),
        "--cap-drop" => out.cap_drop.push(value),
        "--device" => out.devices.push(parse_device(&value)),
        "--dns" => out.dns.push(value),
        "--security-opt" => out.security_opt.push(value),
        "--ipc" => out.ipc = Some(value),
        "--pid" => out.pid = Some(value),
        "-h" | "--hostname" => out.hostname = Some(value),
        "-l" | "--label" => out.labels.push(match value.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (value, String::new()),
        }),
        "--mount" => out.mounts.push(parse_mount(&value)?),
        "--expose" => out
            .expose
            .extend(values::parse_expose(&value).map_err(bad)?),
        "--restart" => out.restart = Some(values::parse_restart(&value).map_err(bad)?),
        "--platform" => out.platform = Some(value),
        _ => out.workdir = Some(value),
    }
    Ok(())
}

/// The `K=V` lines of an env file (the CLI's format: blank lines and `#` comments skipped, a
/// bare `K` taken from the environment).
fn env_file(path: &str, context: &ArgsContext<'_>) -> Result<Vec<String>, Error> {
    let full = context.cwd.join(path);
    let text = std::fs::read_to_string(&full)
        .map_err(|e| bad(format!("--env-file {}: {e}", full.display())))?;
    Ok(text
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            if l.contains('=') {
                Some(l.to_string())
            } else {
                let name = l.trim_end();
                (context.env)(name).map(|v| format!("{name}={v}"))
            }
        })
        .collect())
}

/// `$NAME` and `${NAME}` replaced from `env`; unknown names are left as written (Jenkins'
/// `EnvVars.expand`, §8.7).
pub fn expand(word: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end)
                    if end > 0
                        && inner[..end]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
                {
                    (&inner[..end], end + 2)
                }
                _ => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match (!name.is_empty()).then(|| env(name)).flatten() {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[at..=at + len]),
        }
        rest = &rest[at + 1 + len..];
    }
    out.push_str(rest);
    out
}

fn bad(message: String) -> Error {
    Error::RunArgs(message)
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
mod tests;
