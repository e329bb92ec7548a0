"""Cookies, CSRF tokens and security headers of the web door.

CSRF is a signed double submit: every browser gets a random ``sw_csrf`` cookie
(HttpOnly, SameSite=Lax); each form carries ``HMAC(key, cookie)``; a POST whose
field does not match its cookie is refused with a page that says so. The key is
the ``web_secret_key`` setting, or the one made in the data folder on first start.

:class:`WebMiddleware` wraps the whole ASGI app but touches only the web's
paths (not ``/api``, ``/sru``, ``/oai``, the OpenAPI pages): it sets the CSRF
cookie when missing, adds the security headers, and compresses responses.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "sw_csrf"
CSRF_FIELD = "csrf"
SESSION_COOKIE = "sw_session"
LANG_COOKIE = "sw_lang"
LARGE_COOKIE = "sw_large"
YEAR = 365 * 24 * 3600

# The bytes of digital objects and IIIF set their own headers (web/media_bytes.py): no
# gzip over images and ranges, no page CSP on a JPEG.
NOT_WEB = ("/api/", "/sru", "/oai", "/docs", "/redoc", "/openapi.json", "/media/", "/iiif/")

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # The one <style> the vendored OpenSeadragon 6.1.1 adds on touch screens (no focus
        # outline on its canvas), allowed by its hash, not by 'unsafe-inline' (issue 17).
        "style-src 'self' 'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class Signer:
    def __init__(self, key: str) -> None:
        if not key:
            raise ValueError("the web needs its key (secret_keys.load_keys makes one)")
        self._key = key.encode()

    def csrf_token(self, seed: str) -> str:
        return hmac.new(self._key, b"csrf:" + seed.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, seed: str | None, token: str | None) -> bool:
        if not seed or not token:
            return False
        return hmac.compare_digest(self.csrf_token(seed), token)


def is_web_path(path: str) -> bool:
    return not path.startswith(NOT_WEB)


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None = None, http_only: bool = True
) -> str:
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def read_cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is ignored, not fatal
                continue
            if name in jar:
                return jar[name].value
    return None


class WebMiddleware:
    """CSRF seed cookie, security headers and gzip for the web's paths only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        seed = read_cookie(scope, CSRF_COOKIE)
        fresh = None
        if not seed or len(seed) != 32 or not seed.isalnum():
            seed = fresh = secrets.token_hex(16)
        scope.setdefault("state", {})["csrf_seed"] = seed
        secure = scope.get("scheme") == "https"
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if static:
                    headers.append((b"cache-control", b"public, max-age=604800, immutable"))
                if fresh is not None and not static:
                    value = cookie_header(CSRF_COOKIE, fresh, secure=secure, max_age=YEAR)
                    headers.append((b"set-cookie", value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.gzip(scope, receive, send_with_headers)
