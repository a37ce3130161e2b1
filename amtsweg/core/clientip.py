"""The citizen's IP address for rate limits, also behind a reverse proxy.

Behind nginx every request comes from the proxy's address, so limits per
``REMOTE_ADDR`` would lump all citizens together. ``TRUSTED_PROXIES`` names the
proxies (addresses or networks); for a request from one of them the address is
taken from ``X-Forwarded-For``, read from the right and skipping trusted hops.
A client cannot forge it, because only what the trusted proxy appended is used.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _trusted(address: str, networks) -> bool:  # type: ignore[no-untyped-def]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage from beyond the proxy: fall back to the proxy's address
    return remote


def client_network(request: HttpRequest) -> str:
    """The client's address for counting attempts: an IPv4 address, or the /64 network of an IPv6 one (one
    household or server holds a whole /64, so counting single IPv6 addresses would count nothing)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 address
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
