"""Trust no other origin: Host and Origin checks and the security headers of every response (pure ASGI).

The app has no login and binds to loopback, so the threats are other web pages the user visits: a page that
posts to the app (cross-site request: refused by Origin / Sec-Fetch-Site), a domain that re-resolves to
127.0.0.1 to read the corpus (DNS rebinding: refused by the Host check), and framing or content sniffing
(refused by the headers).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
       " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def host_name(host: str) -> str:
    """The name part of a Host header or netloc, lower case, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(scope: Scope, headers: dict[str, str], allowed: frozenset[str]) -> str | None:
    """Why a request must be refused, or None. Pure: it only reads the method and the headers."""
    host = headers.get("host", "")
    if host_name(host) not in allowed:
        return f"unknown Host {host!r}: open the app by its own address (e.g. http://127.0.0.1)"
    if scope.get("method", "GET") in SAFE_METHODS:
        return None
    origin = headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or parts.netloc.lower() != host.lower() or parts.scheme not in ("http", "https"):
            return f"cross-origin request refused (Origin {origin!r})"
    elif headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return "cross-site request refused"
    return None


class Guard:
    """ASGI middleware: refuse foreign Hosts and cross-origin writes with 403/400, add security headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]):
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed_hosts) | LOOPBACK_HOSTS

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        why = refusal(scope, headers, self.allowed)
        if why is not None:
            status = 400 if why.startswith("unknown Host") else 403
            body = why.encode()
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), *security_headers([])]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  *security_headers(message.get("headers", []))]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(existing: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers to add; a route that set its own Content-Security-Policy (the standalone page) keeps it."""
    have = {k.lower() for k, _ in existing}
    out = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in have]
    if b"content-security-policy" not in have:
        out.append((b"content-security-policy", CSP.encode()))
    return out
