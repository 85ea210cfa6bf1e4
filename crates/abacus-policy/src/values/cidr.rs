//! IP addresses and CIDR ranges as `IpAddress` / `NotIpAddress` compare them (IAM User
//! Guide: "IAM JSON policy elements: Condition operators", IP address condition operators:
//! "The value must be in the standard CIDR format", IPv4 or IPv6). The one parser, shared
//! by the validator and the evaluator.

use std::net::IpAddr;

/// An IP range: `203.0.113.0/24`, `2001:db8::/32`, or a bare address (`/32` or `/128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    /// Prefix length, at most 32 for IPv4 and 128 for IPv6.
    bits: u32,
}

impl Cidr {
    /// Parses a range (surrounding whitespace ignored); `None` when the address is not an
    /// IPv4 or IPv6 address or the prefix length is not a number within the family's width.
    pub fn parse(text: &str) -> Option<Cidr> {
        let text = text.trim();
        let (address, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            None => max,
            Some(b) => b.parse::<u32>().ok().filter(|n| *n <= max)?,
        };
        Some(Cidr { network, bits })
    }

    /// True when `ip` lies in the range. An IPv4-mapped IPv6 address (`::ffff:10.1.2.3`)
    /// is compared as the IPv4 address it maps; otherwise the families must agree.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (ip, self.network) {
            (IpAddr::V4(a), IpAddr::V4(n)) => {
                let mask = u32::MAX.checked_shl(32 - self.bits).unwrap_or(0);
                u32::from(a) & mask == u32::from(n) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(n)) => {
                let mask = u128::MAX.checked_shl(128 - self.bits).unwrap_or(0);
                u128::from(a) & mask == u128::from(n) & mask
            }
            (IpAddr::V6(a), IpAddr::V4(_)) => a
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            (IpAddr::V4(_), IpAddr::V6(_)) => false,
        }
    }
}

/// A request's IP address (surrounding whitespace ignored).
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Some(v4) = canonical_ipv4(text.as_bytes()) {
        return Some(IpAddr::V4(v4));
    }
    text.trim().parse().ok()
}

/// The common case of [`parse_ip`] without the standard parser's generality (it runs for
/// every `IpAddress` condition): four decimal octets of at most 255, without leading
/// zeros, and nothing else. The standard parser reads such text as the same address;
/// anything else (`None`) is left to it.
fn canonical_ipv4(text: &[u8]) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split(|b| *b == b'.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.first() == Some(&b'0')) {
            return None;
        }
        let mut n: u32 = 0;
        for b in part {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(b - b'0');
        }
        *octet = u8::try_from(n).ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(std::net::Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(ip: &str, cidr: &str) -> bool {
        let ip = parse_ip(ip).unwrap();
        Cidr::parse(cidr).unwrap().contains(ip)
    }

    proptest::proptest! {
        // the quick IPv4 reader agrees with the standard parser wherever it answers
        #[test]
        fn canonical_ipv4_agrees_with_std(text in "[0-9.]{0,16}|[0-9]{1,3}(\\.[0-9]{1,4}){3}") {
            if let Some(v4) = canonical_ipv4(text.as_bytes()) {
                proptest::prop_assert_eq!(Some(v4), text.parse().ok());
            }
        }
    }

    #[test]
    fn canonical_ipv4_cases() {
        assert_eq!(canonical_ipv4(b"10.1.2.3"), Some([10, 1, 2, 3].into()));
        assert_eq!(canonical_ipv4(b"255.255.255.255"), Some([255; 4].into()));
        for text in [
            "256.1.1.1",
            "01.1.1.1",
            "1.1.1",
            "1.1.1.1.1",
            " 1.1.1.1",
            "1..1.1",
            "::1",
        ] {
            assert_eq!(canonical_ipv4(text.as_bytes()), None, "{text}");
        }
        assert_eq!(parse_ip(" 10.0.0.1 "), "10.0.0.1".parse().ok());
    }

    #[test]
    fn ranges_and_bare_addresses() {
        assert!(inside("203.0.113.7", "203.0.113.0/24"));
        assert!(!inside("203.0.114.7", "203.0.113.0/24"));
        assert!(inside("10.1.2.3", "10.0.0.0/8"));
        assert!(inside("192.0.2.1", "192.0.2.1"));
        assert!(!inside("192.0.2.2", "192.0.2.1"));
        assert!(inside("8.8.8.8", "0.0.0.0/0"));
        assert!(inside("2001:db8::1", "2001:db8::/32"));
        assert!(!inside("2001:db9::1", "2001:db8::/32"));
        assert!(inside("::1", "::/0"));
        assert!(inside(" 10.0.0.1 ", " 10.0.0.0/31 "));
    }

    #[test]
    fn families_meet_only_through_mapped_addresses() {
        assert!(inside("::ffff:10.1.2.3", "10.0.0.0/8"));
        assert!(!inside("::ffff:11.1.2.3", "10.0.0.0/8"));
        assert!(!inside("10.1.2.3", "::/0"));
        assert!(!inside("2001:db8::1", "0.0.0.0/0"));
    }

    #[test]
    fn malformed_ranges_are_refused() {
        for bad in [
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0.0/",
            "10.0.0.0/x",
            "10.0.0/8",
            "300.0.0.0/8",
            "example.com",
            "",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_ip("10.0.0.1/8"), None);
    }
}
