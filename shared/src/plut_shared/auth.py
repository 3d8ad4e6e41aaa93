"""Bearer tokens for every service's HTTP API: who is calling, in which role, for which centres.

Wiring, in a service's composition root (nothing here is created at import time):

    registry = TokenRegistry.from_settings(AuthSettings())
    install_auth(app, registry)

and in a router (health routes simply leave the dependency out):

    @router.get("/enterprises/{umkm_id}")
    async def read(umkm_id: str, principal: CurrentPrincipal) -> ...:
        ensure_centre(principal, enterprise.centre_id)

    @router.post("/enterprises", dependencies=[Depends(require_role("admin", "officer"))])

Operators mint, list and revoke tokens with `plut tokens --help`. Entries may
carry an expiry; entries from PLUT_API_TOKENS_FILE are re-read when the file
changes (`plut_shared.auth_reload`), so a revocation needs no restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from plut_shared.auth_config import (
    ALL_CENTRES,
    AuthConfigError,
    AuthSettings,
    Role,
    TokenEntry,
    digest_token,
    load_token_entries,
)
from plut_shared.auth_reload import TokenFileWatch

__all__ = [
    "ALL_CENTRES",
    "AuthConfigError",
    "AuthSettings",
    "CurrentPrincipal",
    "Grant",
    "Principal",
    "Role",
    "TokenEntry",
    "TokenRegistry",
    "authenticated",
    "current_principal",
    "digest_token",
    "ensure_centre",
    "install_auth",
    "installed_registry",
    "require_role",
]

log = logging.getLogger(__name__)

_STATE_KEY = "plut_token_registry"
# auto_error=False: we answer 401 ourselves, with the challenge header; the
# instance also documents the scheme in the OpenAPI schema.
_bearer = HTTPBearer(auto_error=False, description="PLUT API token")


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller behind a token. `subject` is an officer or client id, never a name."""

    subject: str
    role: Role
    centres: frozenset[str]

    @property
    def all_centres(self) -> bool:
        return ALL_CENTRES in self.centres

    @property
    def sees_nik(self) -> bool:
        """Only admins and officers need full NIKs (UU 27/2022: data minimisation)."""
        return self.role in (Role.ADMIN, Role.OFFICER)

    def can_access_centre(self, centre_id: str) -> bool:
        return self.all_centres or centre_id in self.centres

    def require_role(self, *roles: Role | str) -> Principal:
        """Raise 403 unless the principal has one of `roles`; returns itself."""
        allowed = {Role(role) for role in roles}
        if self.role not in allowed:
            names = ", ".join(sorted(allowed))
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role '{self.role}' may not do this; it needs one of: {names}",
            )
        return self


@dataclass(frozen=True, slots=True)
class Grant:
    """What a configured token grants, and until when."""

    principal: Principal
    expires_at: datetime | None

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or datetime.now(UTC))


def _grants_by_digest(entries: Iterable[TokenEntry]) -> dict[str, Grant]:
    grants: dict[str, Grant] = {}
    for entry in entries:
        if entry.sha256 in grants:
            other = grants[entry.sha256].principal.subject
            raise AuthConfigError(
                f"two token entries share one sha256 digest ({other}, {entry.subject})"
            )
        principal = Principal(entry.subject, entry.role, frozenset(entry.centres))
        grants[entry.sha256] = Grant(principal, entry.expires_at)
    return grants


class TokenRegistry:
    """Digest -> grant. Build it explicitly, once, in the composition root.

    With a `watch`, entries are replaced when the token file changes.
    """

    def __init__(self, entries: Iterable[TokenEntry], *, watch: TokenFileWatch | None = None):
        self._grants = _grants_by_digest(entries)
        self._watch = watch

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> TokenRegistry:
        watch = TokenFileWatch(settings) if settings.api_tokens_file is not None else None
        return cls(load_token_entries(settings), watch=watch)

    def __len__(self) -> int:
        return len(self._grants)

    def grant(self, token: str) -> Grant | None:
        # A dict lookup on the digest instead of comparing tokens: any timing
        # difference reveals bits of a hash, which do not help forge the token.
        self._reload_if_changed()
        return self._grants.get(digest_token(token))

    def resolve(self, token: str) -> Principal | None:
        """The principal of a known token that has not expired."""
        found = self.grant(token)
        return None if found is None or found.expired() else found.principal

    def _reload_if_changed(self) -> None:
        entries = self._watch.changed_entries() if self._watch is not None else None
        if entries is None:
            return
        try:
            self._grants = _grants_by_digest(entries)
        except AuthConfigError as error:
            log.error("token file not reloaded; the previous tokens stay in force: %s", error)


NO_BEARER_DETAIL = "missing bearer token (Authorization: Bearer <token>)"
UNKNOWN_BEARER_DETAIL = "unknown bearer token"
# No subject and no date: the caller learns only what to do next.
EXPIRED_BEARER_DETAIL = "bearer token expired; ask an administrator for a new one"


def _challenge(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _principal_for(
    registry: TokenRegistry, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        raise _challenge(NO_BEARER_DETAIL)
    found = registry.grant(credentials.credentials)
    if found is None:
        raise _challenge(UNKNOWN_BEARER_DETAIL)
    if found.expired():
        raise _challenge(EXPIRED_BEARER_DETAIL)
    return found.principal


def authenticated(registry: TokenRegistry) -> Callable[..., Principal]:
    """A dependency bound to `registry`; for apps that do not use `install_auth`."""

    def dependency(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        return _principal_for(registry, credentials)

    return dependency


def install_auth(app: FastAPI, registry: TokenRegistry) -> None:
    """Make `registry` the one `current_principal` uses for this app."""
    setattr(app.state, _STATE_KEY, registry)


def installed_registry(app: Any) -> TokenRegistry | None:
    """The registry `install_auth` put on `app`, if any."""
    return getattr(app.state, _STATE_KEY, None)


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the registry installed on the app; routers need no globals."""
    registry = installed_registry(request.app)
    if registry is None:
        # A wiring bug, not the caller's fault: fail closed with a 500.
        raise RuntimeError("no token registry on app.state: call install_auth(app, registry)")
    return _principal_for(registry, credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role | str) -> Callable[..., Principal]:
    """A dependency giving the current principal, or 403 if its role is not in `roles`."""
    allowed = tuple(Role(role) for role in roles)  # a typo fails at import, not per request

    def dependency(principal: CurrentPrincipal) -> Principal:
        return principal.require_role(*allowed)

    return dependency


def ensure_centre(principal: Principal, centre_id: str, *, detail: str = "Not found") -> None:
    """Raise 404 unless `principal` may act for `centre_id`.

    404, not 403: a 403 would confirm that the id exists in another centre,
    letting an officer probe which enterprises (and so which people) are
    registered elsewhere. Outside one's centres, a record must look absent,
    exactly like an unknown id.
    """
    if not principal.can_access_centre(centre_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=detail)
