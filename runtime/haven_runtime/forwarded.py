"""Who the client is, when a proxy stands in front: ``X-Forwarded-For`` from trusted proxies only.

The client address keys the bad-token limiter and the request scheme decides whether the
sign-in cookie is ``Secure``. Anyone can send ``X-Forwarded-For``, so it is believed only
when the socket peer is one of ``HAVEN_TRUSTED_PROXIES`` (addresses or networks; none by
default). The ASGI server must not rewrite the client itself (``haven_runtime.serve`` runs
uvicorn with ``proxy_headers=False``; uvicorn's default trusts any local peer), so this is
the one place the decision is made, whatever server runs the app.

The forwarded chain is read from the right: each trusted proxy appended the address it
received from, so the first untrusted address from the right is the client — entries a
client wrote itself on the left are never reached.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from litestar.datastructures import Headers
from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``10.0.0.5``, ``172.16.0.0/12`` or ``::1`` → networks; raises ValueError naming a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network") from None
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client address: ``peer`` unless it is a trusted proxy naming someone else."""
    if not networks or not _trusted(peer, networks) or not forwarded_for:
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


class ForwardedMiddleware:
    """Rewrites ``scope["client"]`` and ``scope["scheme"]`` from a trusted proxy's headers."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.networks = parse_networks(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.networks and scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            peer = client[0] if client else ""
            if _trusted(peer, self.networks):
                headers = Headers.from_scope(scope)
                address = forwarded_client(peer, headers.get("x-forwarded-for", ""), self.networks)
                scope["client"] = (address, 0)
                proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)
