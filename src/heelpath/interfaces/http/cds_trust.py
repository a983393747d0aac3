"""Who may call the CDS Hooks services: the signed JWT every call carries, checked as CDS Hooks 2.0
requires ("Trusting CDS Clients"), with PyJWT.

- ``alg`` ES384 or RS384 only: never ``none``, never a shared-secret (HMAC) algorithm.
- ``iss`` one of the issuers of the trust file; ``kid`` one of that issuer's keys (inline, from a JWKS
  file, or from its allow-listed https JWKS URL, which a ``jku`` header must equal; fetched at most
  once a minute, and checked like inline keys).
- ``aud`` the URL of the service called; ``exp`` in the future; ``iat`` present and not in the
  future; at most 5 minutes from ``iat`` to ``exp``; ``jti`` present.
- ``jti`` never accepted twice from one issuer (kept in the database until the token expires,
  leeway included).

The trust file (JSON)::

    {"issuers": [{"iss": "https://ehr.example.org",
                  "jwks": {"keys": [...]},             # or
                  "jwks_file": "ehr-keys.json",         # relative to the trust file, or
                  "jwks_url": "https://ehr.example.org/.well-known/jwks.json",
                  "fhir_servers": ["https://ehr.example.org/fhir"]}]}

``fhir_servers`` lists the FHIR servers the issuer's calls may name in ``fhirServer``; heelpath
fetches missing prefetch from those only (none: it never fetches for that issuer).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from heelpath.errors import InputError

ALGORITHMS = ("ES384", "RS384")
LEEWAY_SECONDS = 30  # clock skew between the EHR and this server
MAX_LIFETIME_SECONDS = 300  # from iat to exp, as SMART Backend Services asks of such tokens
JWKS_REFRESH_SECONDS = 60  # an unknown kid fetches the issuer's JWKS URL at most this often


class CdsTrustError(InputError):
    """The CDS Hooks trust file is missing, unreadable or malformed."""


class CdsUnauthorized(Exception):
    """A CDS Hooks call without an acceptable JWT (HTTP 401); the message says why."""


class _Issuer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    iss: str = Field(min_length=1)
    jwks: dict[str, Any] | None = None
    jwks_file: str | None = None
    jwks_url: str | None = Field(default=None, pattern=r"^https://")
    fhir_servers: list[str] = Field(default=[], max_length=20)

    @model_validator(mode="after")
    def _one_source(self) -> _Issuer:
        if not (self.jwks or self.jwks_file or self.jwks_url):
            raise ValueError(f"issuer {self.iss}: give jwks, jwks_file or jwks_url")
        return self


class _TrustFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issuers: list[_Issuer] = Field(min_length=1)


@dataclass
class TrustedIssuer:
    iss: str
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # kid -> public JWK
    jwks_url: str | None = None
    fhir_servers: tuple[str, ...] = ()
    _fetched: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fetched_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _remote(self, kid: str) -> dict[str, Any] | None:
        """A key from the JWKS URL: the cached set, refreshed at most once a minute."""
        assert self.jwks_url is not None
        with self._lock:
            if kid not in self._fetched and time.monotonic() - self._fetched_at > JWKS_REFRESH_SECONDS:
                self._fetched_at = time.monotonic()
                try:
                    data = jwt.PyJWKClient(self.jwks_url, cache_keys=False, timeout=5).fetch_data()
                    self._fetched = _keys(self.iss, data if isinstance(data, dict) else {})
                except (jwt.PyJWKClientError, CdsTrustError) as exc:
                    raise CdsUnauthorized(f"the issuer's keys cannot be fetched or read ({exc})") from None
            return self._fetched.get(kid)

    def key(self, kid: str, jku: str | None, alg: str) -> jwt.PyJWK:
        """The issuer's key `kid`, for the token's algorithm (a JWK without ``alg`` would otherwise be
        taken as RS256 or the curve's default)."""
        if jku is not None and jku != self.jwks_url:
            raise CdsUnauthorized("the token's jku is not this issuer's allow-listed JWKS URL")
        jwk = self.keys.get(kid)
        if jwk is None and self.jwks_url:
            jwk = self._remote(kid)
        if jwk is None:
            raise CdsUnauthorized(f"no key {kid!r} for this issuer")
        if jwk.get("alg") not in (None, alg):
            raise CdsUnauthorized(f"key {kid!r} is for {jwk['alg']}, not {alg}")
        try:
            return jwt.PyJWK(jwk, algorithm=alg)
        except jwt.PyJWTError as exc:
            raise CdsUnauthorized(f"key {kid!r} does not fit {alg} ({exc})") from None


@dataclass
class CdsTrust:
    issuers: dict[str, TrustedIssuer]

    @classmethod
    def load(cls, path: Path) -> CdsTrust:
        try:
            parsed = _TrustFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise CdsTrustError(f"CDS Hooks trust file {path}: cannot be read ({exc})") from None
        except (ValueError, ValidationError) as exc:
            raise CdsTrustError(f"CDS Hooks trust file {path}: {exc}") from None
        issuers = {}
        for entry in parsed.issuers:
            jwks = entry.jwks
            if entry.jwks_file:
                try:
                    jwks = json.loads((path.parent / entry.jwks_file).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CdsTrustError(f"CDS Hooks trust file {path}: {entry.jwks_file}: {exc}") from None
            issuers[entry.iss] = TrustedIssuer(entry.iss, _keys(entry.iss, jwks or {"keys": []}), entry.jwks_url,
                                               tuple(u.rstrip("/") for u in entry.fhir_servers))
        return cls(issuers)

    def verify(self, authorization: str | None, audience: str,
               first_use: Callable[[str, str, datetime], bool]) -> tuple[TrustedIssuer, dict[str, Any]]:
        """The issuer and claims of an acceptable ``Authorization: Bearer <JWT>``; CdsUnauthorized says
        why not."""
        if not authorization or not authorization.startswith("Bearer "):
            raise CdsUnauthorized("a CDS Hooks call needs Authorization: Bearer <JWT>")
        token = authorization[len("Bearer "):].strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise CdsUnauthorized(f"the token is not a JWT ({exc})") from None
        if header.get("alg") not in ALGORITHMS:
            raise CdsUnauthorized(f"alg {header.get('alg')!r} is not accepted: use ES384 or RS384")
        issuer = self.issuers.get(str(unverified.get("iss")))
        if issuer is None:
            raise CdsUnauthorized("the token's issuer is not in the trust file")
        if not isinstance(header.get("kid"), str):
            raise CdsUnauthorized("the token has no kid")
        key = issuer.key(header["kid"], header.get("jku"), header["alg"])
        try:
            claims = jwt.decode(token, key, algorithms=[header["alg"]], audience=audience, issuer=issuer.iss,
                                leeway=LEEWAY_SECONDS, options={"require": ["iss", "aud", "exp", "iat", "jti"]})
        except jwt.PyJWTError as exc:
            raise CdsUnauthorized(f"the token is not acceptable: {exc}") from None
        lifetime = claims["exp"] - claims["iat"]
        if not 0 < lifetime <= MAX_LIFETIME_SECONDS:
            raise CdsUnauthorized(f"the token lives {lifetime} s from iat to exp; at most {MAX_LIFETIME_SECONDS} s")
        # remembered as long as the token could be accepted: until exp plus the leeway
        remember_until = datetime.fromtimestamp(claims["iat"], UTC) + timedelta(seconds=lifetime + LEEWAY_SECONDS)
        if not first_use(issuer.iss, str(claims["jti"]), remember_until):
            raise CdsUnauthorized("the token was already used (jti replay)")
        return issuer, claims


def _keys(iss: str, jwks: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keys = jwks.get("keys")
    if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
        raise CdsTrustError(f"issuer {iss}: a JWKS is {{\"keys\": [...]}}")
    for key in keys:
        if not isinstance(key.get("kid"), str):
            raise CdsTrustError(f"issuer {iss}: every key needs a kid")
        if key.get("kty") not in ("EC", "RSA"):
            raise CdsTrustError(f"issuer {iss}: key {key['kid']} is {key.get('kty')}; only EC and RSA public keys")
        if "d" in key:
            raise CdsTrustError(f"issuer {iss}: key {key['kid']} is a private key; the trust file holds public keys")
        try:
            jwt.PyJWK(key)
        except jwt.PyJWTError as exc:
            raise CdsTrustError(f"issuer {iss}: key {key['kid']} cannot be read ({exc})") from None
    return {key["kid"]: key for key in keys}
