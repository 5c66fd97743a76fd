//! `-p` / `--publish` read as the docker CLI reads it (go-connections' `ParsePortSpec`, after
//! the CLI's long form `target=80,published=8080,protocol=udp` is turned into the short
//! one): `[ip:][host_port:]container_port[/proto]`, where each port may be a range
//! (`8000-8010:8000-8010`, one binding per port), a single container port may take a host
//! range to pick from (`8000-8010:80`), `127.0.0.1::80` lets the engine pick the host port,
//! and an IPv6 address goes in brackets. Errors are the CLI's own words.

use super::values::PortSpec;

/// The bindings one `-p` value asks for.
pub(super) fn parse_publish(value: &str) -> Result<Vec<PortSpec>, String> {
    let standard = if value.contains('=') {
        long_form(value)?
    } else {
        value.to_string()
    };
    parse_port_spec(&standard)
}

/// The CLI's `convertToStandardNotation`.
fn long_form(value: &str) -> Result<String, String> {
    let mut target = None;
    let mut published = String::new();
    let mut protocol = "tcp".to_string();
    for param in value.split(',') {
        match param.split_once('=') {
            Some(("target", v)) => target = Some(v.to_string()),
            Some(("published", v)) => published = v.to_string(),
            Some(("protocol", v)) => protocol = v.to_string(),
            Some((k, _)) if !k.is_empty() => {}
            _ => {
                return Err(format!(
                    "invalid publish opts format (should be name=value but got '{param}')"
                ));
            }
        }
    }
    let target = target.ok_or("missing 'target' in publish opts format")?;
    Ok(format!("{published}:{target}/{protocol}"))
}

/// `ParsePortSpec`.
fn parse_port_spec(raw: &str) -> Result<Vec<PortSpec>, String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let (ip, host, container) = match n {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let (proto, container) = split_proto_port(container);
    let ip = match ip.strip_prefix('[') {
        Some(inner) => inner
            .strip_suffix(']')
            .ok_or_else(|| format!("invalid IP address {ip}: missing ']' in address"))?
            .to_string(),
        None => ip,
    };
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    if container.is_empty() {
        return Err(format!("no port specified: {raw}<empty>"));
    }
    let (start, end) =
        port_range(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let (host_start, host_end) = if host.is_empty() {
        (0, 0)
    } else {
        port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?
    };
    if !host.is_empty() && end - start != host_end - host_start && end != start {
        return Err(format!(
            "invalid ranges specified for container and host Ports: {container} and {host}"
        ));
    }
    let proto = proto.to_ascii_lowercase();
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    Ok((0..=end - start)
        .map(|i| {
            let mut host_port = if host.is_empty() {
                String::new()
            } else {
                (host_start + i).to_string()
            };
            // A single container port with a host range: the engine picks from the range.
            if start == end && host_start != host_end {
                host_port = format!("{host_port}-{host_end}");
            }
            PortSpec {
                container: format!("{}/{proto}", start + i),
                host_ip: ip.clone(),
                host_port,
            }
        })
        .collect())
}

/// `SplitProtoPort`: `80/udp` → (`udp`, `80`); no protocol is tcp.
fn split_proto_port(raw: &str) -> (&str, &str) {
    let mut parts = raw.split('/');
    let port = parts.next().unwrap_or_default();
    if raw.is_empty() || port.is_empty() {
        return ("", "");
    }
    match parts.next() {
        None | Some("") => ("tcp", port),
        Some(proto) => (proto, port),
    }
}

/// `ParsePortRange`: `80` or `8000-8010` (16-bit, end not below start).
fn port_range(text: &str) -> Option<(u32, u32)> {
    let one = |p: &str| p.parse::<u16>().ok().map(u32::from);
    match text.split_once('-') {
        None => one(text).map(|p| (p, p)),
        Some((a, b)) => {
            let b = b.split('-').next().unwrap_or(b);
            let (a, b) = (one(a)?, one(b)?);
            (b >= a).then_some((a, b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_publish;
    use crate::docker::run_args::values::PortSpec;

    fn spec(container: &str, ip: &str, host: &str) -> PortSpec {
        PortSpec {
            container: container.into(),
            host_ip: ip.into(),
            host_port: host.into(),
        }
    }

    #[test]
    fn ports_ranges_addresses_and_protocols() {
        assert_eq!(parse_publish("80"), Ok(vec![spec("80/tcp", "", "")]));
        assert_eq!(
            parse_publish("127.0.0.1::80"),
            Ok(vec![spec("80/tcp", "127.0.0.1", "")])
        );
        assert_eq!(
            parse_publish("8080:80/udp"),
            Ok(vec![spec("80/udp", "", "8080")])
        );
        let range = parse_publish("8000-8002:9000-9002").unwrap();
        assert_eq!(
            range,
            vec![
                spec("9000/tcp", "", "8000"),
                spec("9001/tcp", "", "8001"),
                spec("9002/tcp", "", "8002"),
            ]
        );
        assert_eq!(
            parse_publish("8000-8010:80"),
            Ok(vec![spec("80/tcp", "", "8000-8010")])
        );
        assert_eq!(
            parse_publish("[::1]:8080:80"),
            Ok(vec![spec("80/tcp", "::1", "8080")])
        );
        assert_eq!(
            parse_publish("target=80,published=8080,protocol=udp"),
            Ok(vec![spec("80/udp", "", "8080")])
        );
    }

    #[test]
    fn errors_are_the_clis() {
        let err = |v: &str| parse_publish(v).unwrap_err();
        assert_eq!(
            err("8000-8010:9000-9001"),
            "invalid ranges specified for container and host Ports: 9000-9001 and 8000-8010"
        );
        assert_eq!(err("8080:http"), "invalid containerPort: http");
        assert_eq!(err("x:80"), "invalid hostPort: x");
        assert_eq!(err("80-70"), "invalid containerPort: 80-70");
        assert_eq!(err("99999"), "invalid containerPort: 99999");
        assert_eq!(err("1.2.3:80:80"), "invalid IP address: 1.2.3");
        assert_eq!(err("80/icmp"), "invalid proto: icmp");
        assert_eq!(
            err("published=8080"),
            "missing 'target' in publish opts format"
        );
    }
}
