"""Bearer tokens for every service's HTTP API: who is calling, in which role, for which centres.

Wiring, in a service's composition root (nothing here is created at import time):

    registry = TokenRegistry.from_settings(AuthSettings())
    install_auth(app, registry)

and in a router (health routes simply leave the dependency out):

    @router.get("/enterprises/{umkm_id}")
    async def read(umkm_id: str, principal: CurrentPrincipal) -> ...:
        ensure_centre(principal, enterprise.centre_id)

    @router.post("/enterprises", dependencies=[Depends(require_role("admin", "officer"))])

Operators mint tokens with `python -m plut_shared.auth new-token --help`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
    main,
)

__all__ = [
    "ALL_CENTRES",
    "AuthConfigError",
    "AuthSettings",
    "CurrentPrincipal",
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
    "main",
    "require_role",
]

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


class TokenRegistry:
    """Digest -> principal. Build it explicitly, once, in the composition root."""

    def __init__(self, entries: Iterable[TokenEntry]) -> None:
        self._by_digest: dict[str, Principal] = {}
        for entry in entries:
            if entry.sha256 in self._by_digest:
                other = self._by_digest[entry.sha256].subject
                raise AuthConfigError(
                    f"two token entries share one sha256 digest ({other}, {entry.subject})"
                )
            self._by_digest[entry.sha256] = Principal(
                entry.subject, entry.role, frozenset(entry.centres)
            )

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> TokenRegistry:
        return cls(load_token_entries(settings))

    def __len__(self) -> int:
        return len(self._by_digest)

    def resolve(self, token: str) -> Principal | None:
        # A dict lookup on the digest instead of comparing tokens: any timing
        # difference reveals bits of a hash, which do not help forge the token.
        return self._by_digest.get(digest_token(token))


NO_BEARER_DETAIL = "missing bearer token (Authorization: Bearer <token>)"
UNKNOWN_BEARER_DETAIL = "unknown bearer token"


def _challenge(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _principal_for(
    registry: TokenRegistry, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        raise _challenge(NO_BEARER_DETAIL)
    principal = registry.resolve(credentials.credentials)
    if principal is None:
        raise _challenge(UNKNOWN_BEARER_DETAIL)
    return principal


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


if __name__ == "__main__":
    # The CLI lives with the configuration it writes; this keeps the documented
    # `python -m plut_shared.auth new-token` spelling.
    sys.exit(main())
