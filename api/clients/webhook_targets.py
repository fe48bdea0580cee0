"""Where a webhook may be sent: the URL rules checked when an endpoint is registered
(``check_target``) and again for every connection a delivery opens (a name's addresses may
change in between).

* Production: ``https`` only, and every address the host resolves to must be a public one:
  private, shared (CGNAT), loopback, link-local (which holds the cloud metadata address
  169.254.169.254), multicast, reserved and unspecified addresses are refused, IPv4-mapped
  IPv6 included.
* Development and test: ``https`` anywhere, ``http`` only to loopback (a receiver on the
  developer's machine or in a test).
* Never: credentials in the URL, or a fragment.

Redirects are never followed (``api.clients.webhooks``), so a public URL cannot bounce a
delivery inward. A delivery's connection is made by ``VettedConnections``: the name is
resolved once, for the check and the connection both, so a name that answers with a public
address for the check and an inward one right after (DNS rebinding) still only reaches the
address that was checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

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
    if production:
        await public_addresses(host, port, resolve=resolve)


async def public_addresses(host: str, port: int, *, resolve: Resolver) -> list[str]:
    """The addresses ``host`` stands for now, when every one of them is public; else
    ``UnsafeTarget``."""
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
    return [str(address) for address in addresses]


class VettedConnections(httpcore.AsyncNetworkBackend):
    """The webhook sender's connections (an httpcore network backend). In production each new
    connection resolves its host once, refuses it unless every address is public
    (``public_addresses``) and connects to those very addresses, in order, while TLS still
    checks the certificate against the host's name. Development connects as asked (its URLs
    were checked by ``check_url_shape``: http only to loopback)."""

    def __init__(
        self,
        *,
        production: bool,
        resolve: Resolver = system_resolver,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._production = production
        self._resolve = resolve
        self._network = network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not self._production:
            return await self._network.connect_tcp(
                host, port, timeout, local_address, socket_options
            )
        unreachable: Exception | None = None
        for address in await public_addresses(host, port, resolve=self._resolve):
            try:
                return await self._network.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                unreachable = error
        assert unreachable is not None  # public_addresses returns at least one
        raise unreachable

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)
