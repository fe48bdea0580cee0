"""Where a webhook may be sent: the URL rules checked when an endpoint is registered and again
before every delivery (a name's addresses may change between the two).

* Production: ``https`` only, and every address the host resolves to must be a public one:
  private, shared (CGNAT), loopback, link-local (which holds the cloud metadata address
  169.254.169.254), multicast, reserved and unspecified addresses are refused, IPv4-mapped
  IPv6 included.
* Development and test: ``https`` anywhere, ``http`` only to loopback (a receiver on the
  developer's machine or in a test).
* Never: credentials in the URL, or a fragment.

Redirects are never followed (``api.clients.webhooks``), so a public URL cannot bounce a
delivery inward. What remains: a name could resolve to a public address for this check and
to an inward one for the connection right after (DNS rebinding); an egress proxy that
refuses inward addresses closes that gap (docs/webhooks.md).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


class UnsafeTarget(ValueError):
    """The URL may not receive webhooks; ``reason`` is a stable code (``field code``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _literal_address(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    address = _literal_address(host)
    return address is not None and address.is_loopback


def check_url_shape(url: str, *, production: bool) -> tuple[str, int]:
    """The host and port of an acceptable URL; ``UnsafeTarget`` otherwise. Resolution is
    ``check_target``'s business."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeTarget("webhook_url_invalid") from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeTarget("webhook_url_invalid")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise UnsafeTarget("webhook_url_invalid")
    if parts.scheme == "http" and (production or not _is_loopback(host)):
        raise UnsafeTarget("webhook_url_not_https")
    return host, port or (443 if parts.scheme == "https" else 80)


async def check_target(url: str, *, production: bool, resolve: Resolver = system_resolver) -> None:
    """Raise ``UnsafeTarget`` unless ``url`` may receive webhooks now (see the module)."""
    host, port = check_url_shape(url, production=production)
    if not production:
        return
    literal = _literal_address(host)
    if literal is not None:
        addresses: list[IpAddress] = [literal]
    else:
        try:
            resolved = await resolve(host, port)
        except OSError:
            raise UnsafeTarget("webhook_url_unresolvable") from None
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolved]
    if not addresses:
        raise UnsafeTarget("webhook_url_unresolvable")
    if not all(map(is_public, addresses)):
        raise UnsafeTarget("webhook_url_not_public")
