"""Client addresses as the limits count them: one IPv4 address, or one IPv6 /64.

A household or a phone on IPv6 gets a whole /64 and can pick any address in it, so a
limit per full IPv6 address limits nothing; the /64 is the smallest block one client
holds, which is what rate limits and login lockouts count.
"""

from __future__ import annotations

import ipaddress

IPV6_PREFIX = 64


def client_network(address: str) -> str:
    """``"203.0.113.7"`` as is; ``"2001:db8:1:2:a:b:c:d"`` as ``"2001:db8:1:2::/64"``.

    An IPv4 address mapped into IPv6 (``::ffff:203.0.113.7``) is the IPv4 address; text
    that is no address is returned unchanged (stripped)."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)
