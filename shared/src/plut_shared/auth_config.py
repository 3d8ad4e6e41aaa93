"""Where API tokens come from: digests configured in the environment.

Only SHA-256 digests of tokens are configured (`PLUT_API_TOKENS`, or the file
named by `PLUT_API_TOKENS_FILE` for docker secrets), so a leaked configuration
or a printed environment does not hand anyone a working token. The tokens
themselves exist only with the people who use them (`plut tokens new` mints
one; the README's "Operator command" section explains expiry and revocation).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKENS_ENV = "PLUT_API_TOKENS"
TOKENS_FILE_ENV = "PLUT_API_TOKENS_FILE"
ALL_CENTRES = "*"


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    VIEWER = "viewer"


class AuthConfigError(ValueError):
    """The token configuration is unusable; the message names its source."""


def digest_token(token: str) -> str:
    """Hex SHA-256 of a token: what the configuration stores instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


Sha256Hex = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True)]
# An id, never a person's name: no spaces, so names do not slip in.
SubjectId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$")]
CentreId = Annotated[str, StringConstraints(pattern=r"^(\*|[a-z0-9]+(-[a-z0-9]+)*)$")]


class TokenEntry(BaseModel):
    """One configured token: its digest and the principal it stands for."""

    # Typos such as "centre" for "centres" must fail loudly, not grant nothing.
    model_config = ConfigDict(extra="forbid", frozen=True)

    sha256: Sha256Hex = Field(description="Hex SHA-256 digest of the token.")
    subject: SubjectId = Field(description="Officer or client id (not a person's name).")
    role: Role = Field(description="admin, officer or viewer.")
    centres: list[CentreId] = Field(
        min_length=1, description="PLUT centre ids, e.g. kota-mojokerto; `*` (admins only)."
    )
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the token stops working (ISO 8601 with a UTC offset)."
    )

    @model_validator(mode="after")
    def _check(self) -> TokenEntry:
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise ValueError(
                "sha256 must be the 64-hex-digit SHA-256 digest of the token, not the token"
            )
        if ALL_CENTRES in self.centres and self.role is not Role.ADMIN:
            raise ValueError("centre '*' (all centres) is for admins only")
        return self

    @classmethod
    def for_token(
        cls,
        token: str,
        *,
        subject: str,
        role: Role | str,
        centres: list[str],
        expires_at: datetime | None = None,
    ) -> TokenEntry:
        """The entry for a known token; used by the operator command and by tests."""
        return cls(
            sha256=digest_token(token),
            subject=subject,
            role=Role(role),
            centres=centres,
            expires_at=expires_at,
        )

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or datetime.now(UTC))


class AuthSettings(BaseSettings):
    """Read from PLUT_API_TOKENS and PLUT_API_TOKENS_FILE; both may be set."""

    model_config = SettingsConfigDict(env_prefix="PLUT_", extra="ignore")

    # Kept as raw text so that bad JSON gets our error naming the variable,
    # rather than a generic settings-source error.
    api_tokens: str | None = Field(default=None, repr=False)
    api_tokens_file: Path | None = None

    @field_validator("api_tokens_file", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # Compose passes `VAR=` for an unset optional variable; "" is not ".".
        return None if isinstance(value, str) and not value.strip() else value


_ENTRIES = TypeAdapter(list[TokenEntry])


def parse_token_entries(text: str, source: str) -> list[TokenEntry]:
    """Entries from JSON text; `source` names the variable or file in errors."""
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AuthConfigError(
            f"{source} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            'expected a list of {"sha256", "subject", "role", "centres"} objects'
        ) from None
    try:
        return _ENTRIES.validate_python(raw)
    except ValidationError as exc:
        raise AuthConfigError(f"{source} is invalid: {describe_errors(exc)}") from None


def describe_errors(exc: ValidationError, *, whole: str = "top level") -> str:
    """One line per error, from locations and messages only.

    Input values are left out: they could be tokens pasted by mistake, and
    these messages end up in logs. `whole` names an error about the whole value.
    """
    parts = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = list(error["loc"])
        where = [f"entry {loc.pop(0)}"] if loc and isinstance(loc[0], int) else []
        where += [".".join(str(part) for part in loc)] if loc else []
        parts.append(f"{' '.join(where) or whole}: {error['msg']}")
    return "; ".join(parts)


def load_token_entries(settings: AuthSettings) -> list[TokenEntry]:
    """All entries from the environment variable and the file, checked together."""
    entries: list[TokenEntry] = []
    if settings.api_tokens and settings.api_tokens.strip():
        entries += parse_token_entries(settings.api_tokens, TOKENS_ENV)
    if settings.api_tokens_file is not None:
        source = f"{TOKENS_FILE_ENV} ({settings.api_tokens_file})"
        try:
            text = settings.api_tokens_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise AuthConfigError(f"{source} cannot be read: {exc.strerror}") from None
        entries += parse_token_entries(text, source)
    if not entries:
        # Fail at start-up: a service nobody can call is a deployment mistake.
        raise AuthConfigError(f"no API tokens configured: set {TOKENS_ENV} or {TOKENS_FILE_ENV}")
    return entries
