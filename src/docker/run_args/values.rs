//! The values of `docker run` flags that have a grammar of their own: `--pull`, `--sysctl`,
//! `--ulimit`, `--device` and `--mount`, read as the docker CLI reads them (ports, sizes and
//! `--gpus` have files of their own).

use super::{Error, bad};

/// `-p [ip:][host_port:]container_port[/proto]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortSpec {
    /// `8080/tcp`: the key the engine uses.
    pub container: String,
    /// Empty: every address.
    pub host_ip: String,
    /// Empty: a free port the engine picks.
    pub host_port: String,
}

/// `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountSpec {
    pub kind: String,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

/// `--pull`: when the image is pulled before the container is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    Missing,
    Never,
}

impl PullPolicy {
    /// The CLI's values, with its message for any other.
    pub(super) fn parse(value: &str) -> Result<PullPolicy, String> {
        match value {
            "always" => Ok(PullPolicy::Always),
            "missing" => Ok(PullPolicy::Missing),
            "never" => Ok(PullPolicy::Never),
            other => Err(format!(
                "invalid pull option: '{other}': must be one of \"always\", \"missing\" or \"never\""
            )),
        }
    }
}

/// `--sysctl name=value`, allowed as the CLI's `ValidateSysctl` allows it: the IPC
/// namespace's `kernel.*` knobs, `fs.mqueue.*` and `net.*`.
pub(super) fn parse_sysctl(value: &str) -> Result<(String, String), String> {
    const NAMES: &[&str] = &[
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    let not_allowed = || format!("sysctl '{value}' is not allowed");
    let (name, setting) = value.split_once('=').ok_or_else(not_allowed)?;
    let allowed =
        NAMES.contains(&name) || name.starts_with("net.") || name.starts_with("fs.mqueue.");
    if allowed {
        Ok((name.to_string(), setting.to_string()))
    } else {
        Err(not_allowed())
    }
}

/// `name=soft[:hard]`.
pub(super) fn parse_ulimit(value: &str) -> Result<(String, i64, i64), Error> {
    let invalid = || bad(format!("--ulimit {value}: expected name=soft[:hard]"));
    let (name, limits) = value.split_once('=').ok_or_else(invalid)?;
    let (soft, hard) = limits.split_once(':').unwrap_or((limits, limits));
    let soft: i64 = soft.parse().map_err(|_| invalid())?;
    let hard: i64 = hard.parse().map_err(|_| invalid())?;
    Ok((name.to_string(), soft, hard))
}

/// `host[:container[:permissions]]`.
pub(super) fn parse_device(value: &str) -> (String, String, String) {
    let mut parts = value.splitn(3, ':');
    let host = parts.next().unwrap_or_default().to_string();
    let container = parts
        .next()
        .filter(|c| !c.is_empty())
        .map_or_else(|| host.clone(), str::to_string);
    let permissions = parts.next().unwrap_or("rwm").to_string();
    (host, container, permissions)
}

pub(super) fn parse_mount(value: &str) -> Result<MountSpec, Error> {
    let mut m = MountSpec {
        kind: "volume".into(),
        ..MountSpec::default()
    };
    for field in value.split(',') {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (field, None),
        };
        match (key, val) {
            ("type", Some(v)) if matches!(v, "bind" | "volume" | "tmpfs") => m.kind = v.into(),
            ("source" | "src", Some(v)) => m.source = Some(v.into()),
            ("target" | "destination" | "dst", Some(v)) => m.target = v.into(),
            ("readonly" | "ro", None | Some("true" | "1")) => m.read_only = true,
            ("readonly" | "ro", Some("false" | "0")) => m.read_only = false,
            _ => {
                return Err(Error::Unsupported(format!(
                    "docker run argument `--mount {value}`: `{field}` is not supported (type=bind|volume|tmpfs, source, target, readonly)"
                )));
            }
        }
    }
    if m.target.is_empty() {
        return Err(bad(format!("--mount {value}: no target")));
    }
    Ok(m)
}

/// `--expose port[-port][/proto]`: each port as `port/proto` (tcp by default).
pub(super) fn parse_expose(value: &str) -> Result<Vec<String>, String> {
    let invalid = || format!("--expose {value}: expected port[-port][/tcp|udp|sctp]");
    let (ports, proto) = value.split_once('/').unwrap_or((value, "tcp"));
    if !matches!(proto, "tcp" | "udp" | "sctp") {
        return Err(invalid());
    }
    let (first, last) = ports.split_once('-').unwrap_or((ports, ports));
    let first: u16 = first.parse().map_err(|_| invalid())?;
    let last: u16 = last.parse().map_err(|_| invalid())?;
    if first > last {
        return Err(invalid());
    }
    Ok((first..=last).map(|p| format!("{p}/{proto}")).collect())
}

/// `--restart no|always|unless-stopped|on-failure[:max]`.
pub(super) fn parse_restart(value: &str) -> Result<(String, Option<i64>), String> {
    let (name, max) = match value.split_once(':') {
        Some((name, max)) => (name, Some(max)),
        None => (value, None),
    };
    let max = match (name, max) {
        ("no" | "always" | "unless-stopped" | "on-failure", None) => None,
        ("on-failure", Some(m)) => {
            Some(m.parse::<i64>().map_err(|_| {
                format!("--restart {value}: the maximum retry count must be a number")
            })?)
        }
        ("no" | "always" | "unless-stopped", Some(_)) => {
            return Err(format!(
                "--restart {value}: maximum retry count cannot be used with restart policy '{name}'"
            ));
        }
        _ => {
            return Err(format!(
                "--restart {value}: expected no, always, unless-stopped or on-failure[:max]"
            ));
        }
    };
    Ok((name.to_string(), max))
}
