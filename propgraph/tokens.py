"""Bearer tokens: HS256 with a shared secret, or RS256 with a key pair.

Claims: ``sub`` (the username), ``exp``, ``iat`` and ``iss``. The account
itself is read from the database on every request, so disabling it takes
effect at once whatever the token's lifetime.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import jwt

from propgraph.settings import Settings

# RFC 7518 section 3.2: an HS256 key must be at least as long as the hash (256 bits).
MIN_SECRET_BYTES = 32


class TokenError(Exception):
    """The token is missing, malformed, expired, wrongly signed or foreign."""


class SigningNotConfigured(RuntimeError):
    pass


def _pem(value: str) -> str:
    """A PEM given inline, or the path of a file holding it."""
    if "-----BEGIN" in value:
        return value
    return Path(value).read_text()


@dataclass(frozen=True)
class TokenCodec:
    algorithm: str
    verify_key: str
    sign_key: str | None
    issuer: str

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCodec:
        if settings.jwt_public_key:
            return cls(
                "RS256",
                _pem(settings.jwt_public_key),
                _pem(settings.jwt_private_key) if settings.jwt_private_key else None,
                settings.jwt_issuer,
            )
        if settings.jwt_secret:
            length = len(settings.jwt_secret.encode())
            if length < MIN_SECRET_BYTES:
                raise SigningNotConfigured(
                    f"PROPGRAPH_JWT_SECRET is {length} bytes long; HS256 needs at least "
                    f"{MIN_SECRET_BYTES}. Make one with: "
                    "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
            return cls("HS256", settings.jwt_secret, settings.jwt_secret, settings.jwt_issuer)
        raise SigningNotConfigured(
            "No token key is configured: set PROPGRAPH_JWT_SECRET (HS256), or "
            "PROPGRAPH_JWT_PUBLIC_KEY and PROPGRAPH_JWT_PRIVATE_KEY (RS256)."
        )

    def issue(self, username: str, ttl_seconds: int, now: float | None = None) -> str:
        if self.sign_key is None:
            raise SigningNotConfigured(
                "RS256 tokens are verified with the public key; issuing one needs "
                "PROPGRAPH_JWT_PRIVATE_KEY."
            )
        if ttl_seconds <= 0:
            raise ValueError(f"A token's lifetime must be positive, not {ttl_seconds} seconds.")
        issued = int(now if now is not None else time.time())
        claims = {"sub": username, "iat": issued, "exp": issued + ttl_seconds, "iss": self.issuer}
        return jwt.encode(claims, self.sign_key, algorithm=self.algorithm)

    def verify(self, token: str) -> str:
        """The username the token was issued for."""
        return self.verify_claims(token)[0]

    def verify_claims(self, token: str) -> tuple[str, float]:
        """The username the token was issued for, and when it expires."""
        try:
            claims = jwt.decode(
                token,
                self.verify_key,
                algorithms=[self.algorithm],  # never accept "none" or a swapped algorithm
                issuer=self.issuer,
                options={"require": ["sub", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("The token has expired.") from exc
        except jwt.InvalidTokenError as exc:
            raise TokenError("The token is not valid.") from exc
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise TokenError("The token is not valid.")
        return subject, float(claims["exp"])


class VerifiedTokens:
    """Tokens whose signature was checked, kept until they expire.

    Checking an HS256 signature and its claims costs PyJWT 80-160 µs, a tenth
    of a compiled read; a client sends the same token with every request. The
    key is the whole token, signature included, so only the very same bytes
    hit; the account behind it is still loaded (or its cache checked) per
    request, so disabling an account still takes effect at once.
    """

    def __init__(self, codec: TokenCodec, size: int = 4096) -> None:
        self.codec = codec
        self.size = size
        self._seen: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def username(self, token: str) -> str:
        hit = self._seen.get(token)
        if hit is not None and hit[1] > time.time():
            return hit[0]
        self._seen.pop(token, None)
        username, expires = self.codec.verify_claims(token)  # raises TokenError
        self._seen[token] = (username, expires)
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return username
