//! The addresses a reader opens the preview at. A server bound to every
//! interface (`0.0.0.0`, `::`) is no address to open: it is reached at
//! loopback on this machine and at the machine's network address from a
//! phone or another computer. That address is the source address the
//! system would use to reach the internet, found with the standard library
//! alone: connecting a UDP socket sends nothing, it only picks the route.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// Where a server listening on `bound` is opened: on this machine, and
/// from other devices on the network (none unless it listens on every
/// interface and the machine has a network address).
pub fn to_open(bound: SocketAddr) -> (SocketAddr, Vec<SocketAddr>) {
    let port = bound.port();
    let at = |ip: IpAddr| SocketAddr::new(ip, port);
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (
            at(Ipv4Addr::LOCALHOST.into()),
            network_address(false).into_iter().map(at).collect(),
        ),
        // `::` also takes IPv4 connections where the system allows it;
        // both kinds of network address are shown, IPv4 first.
        IpAddr::V6(ip) if ip.is_unspecified() => (
            at(Ipv6Addr::LOCALHOST.into()),
            [network_address(false), network_address(true)]
                .into_iter()
                .flatten()
                .map(at)
                .collect(),
        ),
        _ => (bound, Vec::new()),
    }
}

/// The address this machine is reached at on its network, if it has one
/// (none when offline). The targets are documentation addresses (RFC 5737,
/// RFC 3849): no packet is sent to them.
fn network_address(v6: bool) -> Option<IpAddr> {
    let (local, remote): (SocketAddr, SocketAddr) = if v6 {
        (
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            ("2001:db8::1".parse::<Ipv6Addr>().ok()?, 9).into(),
        )
    } else {
        (
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            (Ipv4Addr::new(192, 0, 2, 1), 9).into(),
        )
    };
    let socket = UdpSocket::bind(local).ok()?;
    socket.connect(remote).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// `http://ADDRESS:PORT` (IPv6 addresses in brackets).
pub fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specific_address_is_shown_as_it_is() {
        let bound: SocketAddr = "127.0.0.1:1111".parse().expect("address");
        assert_eq!(to_open(bound), (bound, Vec::new()));
    }

    #[test]
    fn every_interface_opens_at_loopback_first_then_no_unspecified_address() {
        let bound: SocketAddr = "0.0.0.0:1111".parse().expect("address");
        let (here, others) = to_open(bound);
        assert_eq!(here, "127.0.0.1:1111".parse().expect("address"));
        assert!(
            others
                .iter()
                .all(|a| !a.ip().is_unspecified() && !a.ip().is_loopback() && a.port() == 1111)
        );
    }
}
