"""Which webhook URLs alerts may POST to: http(s), and never this host or its networks.

A URL's host is resolved and every address it resolves to is checked, at creation and
again before each delivery (the name may point elsewhere by then). Loopback, link-local,
private, shared (CGNAT), multicast, reserved and unspecified addresses are refused unless
`ALERT_WEBHOOK_ALLOW_PRIVATE` is set (a receiver on this host or the LAN).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2_000
_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class WebhookUrlError(ValueError):
    """The URL is malformed or not http(s)."""


class WebhookTargetRefusedError(ValueError):
    """The URL's host is, or resolves to, an address alerts may not reach."""


def checked_url(url: str) -> tuple[str, int]:
    """The host and port of a well-formed http(s) URL; WebhookUrlError otherwise."""
    if len(url) > MAX_URL_LENGTH:
        raise WebhookUrlError(f"a webhook URL has at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise WebhookUrlError(f"not a URL: {error}") from None
    if parts.scheme not in _SCHEMES:
        raise WebhookUrlError("a webhook URL must start with http:// or https://")
    if not parts.hostname:
        raise WebhookUrlError("a webhook URL needs a host")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlError("a webhook URL may not carry credentials; the body is signed")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return not (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in ipaddress.ip_network("100.64.0.0/10")
    )


async def resolved_addresses(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise WebhookUrlError(f"the host {host!r} does not resolve: {error}") from None
    return [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuses a malformed URL (WebhookUrlError) or a forbidden target (…RefusedError)."""
    host, port = checked_url(url)
    addresses = await resolved_addresses(host, port)
    if allow_private:
        return
    refused = sorted({str(a) for a in addresses if not is_public(a)})
    if refused:
        raise WebhookTargetRefusedError(
            f"{host} resolves to {', '.join(refused)}: loopback, link-local and private "
            "addresses are refused (ALERT_WEBHOOK_ALLOW_PRIVATE allows them)"
        )
