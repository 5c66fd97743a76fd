//! The values of `docker run` flags that have a grammar of their own: published ports,
//! sizes (`--shm-size 2g`), `--cpus`, `--ulimit`, `--device` and `--mount`, read as the
//! docker CLI reads them.

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

pub(super) fn parse_port(value: &str) -> Result<PortSpec, Error> {
    let (spec, proto) = match value.rsplit_once('/') {
        Some((s, p)) if matches!(p, "tcp" | "udp" | "sctp") => (s, p),
        Some(_) => return Err(bad(format!("-p {value}: unknown protocol"))),
        None => (value, "tcp"),
    };
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [ip, h, c] => (*ip, *h, *c),
        _ => return Err(bad(format!("-p {value}: expected [ip:][host:]container"))),
    };
    let number = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !number(container) || !(host.is_empty() || number(host)) {
        // Ranges (`8000-8010:8000-8010`) would need one binding per port; say so.
        return Err(Error::Unsupported(format!(
            "docker run argument `-p {value}`: only single ports are supported, not ranges"
        )));
    }
    Ok(PortSpec {
        container: format!("{container}/{proto}"),
        host_ip: ip.to_string(),
        host_port: host.to_string(),
    })
}

/// A byte size: a number with an optional `b`, `k`, `m`, `g`, `t` or `p` suffix (powers of
/// 1024, an optional trailing `b`/`ib`), as the CLI's `RAMInBytes` reads it.
pub(super) fn parse_size(flag: &str, value: &str) -> Result<i64, Error> {
    let lower = value.trim().to_ascii_lowercase();
    let lower = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower)
        .to_string();
    let (number, power) = match lower.chars().next_back() {
        Some('k') => (&lower[..lower.len() - 1], 1),
        Some('m') => (&lower[..lower.len() - 1], 2),
        Some('g') => (&lower[..lower.len() - 1], 3),
        Some('t') => (&lower[..lower.len() - 1], 4),
        Some('p') => (&lower[..lower.len() - 1], 5),
        _ => (lower.as_str(), 0),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| bad(format!("{flag} {value}: not a size")))?;
    if n < 0.0 {
        return Err(bad(format!("{flag} {value}: not a size")));
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok((n * 1024f64.powi(power)) as i64)
}

pub(super) fn parse_cpus(value: &str) -> Result<i64, Error> {
    let n: f64 = value
        .parse()
        .ok()
        .filter(|n: &f64| *n > 0.0)
        .ok_or_else(|| bad(format!("--cpus {value}: not a number of CPUs")))?;
    #[allow(clippy::cast_possible_truncation)]
    Ok((n * 1e9).round() as i64)
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
