//! The client a request comes from, for rate limits: the peer, or — only
//! when the peer is a configured reverse proxy (`http.trusted_proxies`) —
//! the nearest address in `X-Forwarded-For` that is not itself a proxy.
//! A client that sends its own `X-Forwarded-For` straight to pantau gains
//! nothing: the header is read only from a trusted peer.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client's address.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_proxy = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    let peer = peer.ip().to_canonical();
    if !is_proxy(&peer) {
        return peer;
    }
    // Read from the right: each proxy appends the address it saw, so the
    // first untrusted one from the right is the real client; anything left
    // of it was written by the client and proves nothing.
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .collect();
    hops.iter()
        .rev()
        .find(|ip| !is_proxy(ip))
        .or(hops.first())
        .copied()
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.5:4000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.9:4000".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
        let h = headers(&["198.51.100.7"]);
        assert_eq!(client_ip(proxy, &h, &trusted).to_string(), "198.51.100.7");
        // Straight to pantau: the header is the client's own claim.
        assert_eq!(client_ip(stranger, &h, &trusted).to_string(), "203.0.113.9");
        assert_eq!(client_ip(proxy, &h, &[]).to_string(), "10.0.0.5");
        // A forged left part is skipped: the proxy appended the real one.
        let h = headers(&["1.2.3.4, 198.51.100.7"]);
        assert_eq!(client_ip(proxy, &h, &trusted).to_string(), "198.51.100.7");
        // Two proxies: the second's entry is skipped as trusted.
        let h = headers(&["198.51.100.7", "10.0.0.6"]);
        assert_eq!(client_ip(proxy, &h, &trusted).to_string(), "198.51.100.7");
        // No usable header: the proxy itself.
        let h = headers(&["unknown"]);
        assert_eq!(client_ip(proxy, &h, &trusted).to_string(), "10.0.0.5");
        // IPv4-mapped IPv6 peers are matched as IPv4.
        let mapped: SocketAddr = "[::ffff:10.0.0.5]:4000".parse().unwrap();
        let h = headers(&["198.51.100.7"]);
        assert_eq!(client_ip(mapped, &h, &trusted).to_string(), "198.51.100.7");
    }
}
