//! Which `Host` headers the preview server answers. A web page on another
//! site can point its own domain name at 127.0.0.1 (DNS rebinding) and then
//! read the preview, drafts and diagnostics included; such requests carry
//! that domain in `Host`, so only names that mean this server are accepted:
//! `localhost`, loopback literals (`127.x.y.z`, `[::1]`), the bound address
//! (any address literal when bound to `0.0.0.0` or `::`, since an address
//! cannot be rebound), and host names given with `--bind`. A port, when
//! present, must be the server's. A request without `Host` (HTTP/1.0) is
//! accepted: a browser always sends one.

use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct HostPolicy {
    bound: IpAddr,
    port: u16,
    /// Lower-case host names given with `--bind`.
    names: Vec<String>,
}

impl HostPolicy {
    pub fn new(bound: IpAddr, port: u16, names: &[String]) -> HostPolicy {
        HostPolicy {
            bound,
            port,
            names: names.iter().map(|n| normalise(n)).collect(),
        }
    }

    /// Whether a request with this `Host` header value may be answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return true;
        };
        let Some((name, port)) = split_port(host.trim()) else {
            return false;
        };
        if port.is_some_and(|p| p != self.port) {
            return false;
        }
        let name = normalise(name);
        if name == "localhost" || self.names.contains(&name) {
            return true;
        }
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(&name);
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Splits `name[:port]` or `[v6][:port]`; None when the port is malformed.
fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => match &host[end + 1..] {
                "" => (host, None),
                rest => (&host[..=end], Some(rest.strip_prefix(':')?)),
            },
            None => return None,
        }
    } else {
        match host.rsplit_once(':') {
            // A bare IPv6 address without brackets is not a valid Host.
            Some((name, _)) if name.contains(':') => return None,
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_names_of_this_server() {
        let loopback = HostPolicy::new("127.0.0.1".parse().unwrap(), 1111, &[]);
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST.",
            "[::1]:1111",
            "127.8.9.10:1111",
        ] {
            assert!(loopback.allows(Some(ok)), "{ok}");
        }
        assert!(loopback.allows(None));
        for refused in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1:2222",
            "localhost.evil.example",
            "10.0.0.5:1111",
            "",
            "127.0.0.1:",
            "[::1",
            "::1",
        ] {
            assert!(!loopback.allows(Some(refused)), "{refused}");
        }
        let named = HostPolicy::new("0.0.0.0".parse().unwrap(), 80, &["Box.Local".into()]);
        assert!(named.allows(Some("box.local")));
        assert!(named.allows(Some("192.168.1.20")));
        assert!(!named.allows(Some("evil.example")));
    }
}
