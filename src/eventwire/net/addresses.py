"""Which addresses eventwire may connect to: public ones, and what the user allow-lists.

A URL that names or resolves to a loopback, private, link-local, shared (CGNAT),
multicast, reserved or cloud-metadata address could make eventwire read a user's
router, intranet or cloud credentials on behalf of whoever wrote a feed. Every
address a connection is about to use goes through :func:`refusal_reason`; IPv6
forms that carry an IPv4 address (mapped, 6to4, NAT64, Teredo) are judged by the
IPv4 address inside.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from eventwire.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Metadata services of the big clouds; reading them leaks instance credentials.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$")


def parse_ip(text: str) -> IPAddress | None:
    """The address in ``text`` ("10.0.0.1", "::1", "[::1]", "fe80::1%eth0") or None."""
    text = text.strip().removeprefix("[").removesuffix("]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client: where the traffic ends up
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why eventwire must not connect to ``address`` ("a loopback address"), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = refusal_reason(inner)
            shown = f"::ffff:{inner}" if address.ipv4_mapped else str(address)
            return f"{reason} (as the IPv6 address {shown})" if reason else None
    if address in _METADATA:
        return "a cloud metadata address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (
            isinstance(address, ipaddress.IPv4Address) and address in _SHARED,
            "a shared (CGNAT) address",
        ),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "a non-public address"),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return None


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts and networks the user lets eventwire reach although they are not public.

    A host name allows whatever it resolves to; an address or network (CIDR) allows
    those addresses whatever name led to them.
    """

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows_address(self, address: IPAddress) -> bool:
        candidates: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address):
            inner = _embedded_ipv4(address)
            if inner is not None:
                candidates.append(inner)
        return any(a in n for a in candidates for n in self.networks if a.version == n.version)

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)


def parse_allow_list(entries: str | list[str] | tuple[str, ...]) -> AllowList:
    """Entries separated by commas or whitespace: host names, addresses, networks (CIDR)."""
    items = entries.replace(",", " ").split() if isinstance(entries, str) else list(entries)
    hosts: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in items:
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(
                ipaddress.ip_network(entry.removeprefix("[").removesuffix("]"), strict=False)
            )
            continue
        except ValueError:
            pass
        name = entry.lower().rstrip(".")
        if not _HOSTNAME.match(name):
            raise ConfigError(
                f"allow_hosts entry {entry!r} is not a host name, an IP address or a network "
                "like 10.0.0.0/8"
            )
        hosts.add(name)
    return AllowList(frozenset(hosts), tuple(networks))
