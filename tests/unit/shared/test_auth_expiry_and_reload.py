"""Tokens expire, and a changed token file takes effect without a restart."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from plut_shared.auth import (
    AuthSettings,
    CurrentPrincipal,
    TokenEntry,
    TokenRegistry,
    install_auth,
)
from plut_shared.auth_reload import TokenFileWatch
from pydantic import ValidationError

MOJOKERTO = "kota-mojokerto"
OFFICER, OTHER = "officer-token", "other-officer-token"


def officer(token: str = OFFICER, subject: str = "officer-17", **extra: object) -> TokenEntry:
    return TokenEntry.for_token(
        token, subject=subject, role="officer", centres=[MOJOKERTO], **extra
    )


def write_entries(path: Path, *items: TokenEntry) -> None:
    text = json.dumps([item.model_dump(mode="json") for item in items])
    replacement = path.with_suffix(".tmp")
    replacement.write_text(text, encoding="utf-8")
    os.replace(replacement, path)


def app_for(registry: TokenRegistry) -> FastAPI:
    app = FastAPI()
    install_auth(app, registry)

    @app.get("/me")
    def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"subject": principal.subject}

    return app


async def get_me(registry: TokenRegistry, token: str) -> tuple[int, dict]:
    transport = ASGITransport(app=app_for(registry))
    async with AsyncClient(transport=transport, base_url="http://plut.test") as http:
        response = await http.get("/me", headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.json()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_an_expired_token_gets_401_saying_it_expired_and_nothing_else() -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    registry = TokenRegistry([officer(expires_at=past)])
    status, body = await get_me(registry, OFFICER)
    assert status == 401
    assert body["detail"] == "bearer token expired; ask an administrator for a new one"
    assert "officer-17" not in json.dumps(body) and str(past.year) not in json.dumps(body)
    assert registry.resolve(OFFICER) is None


async def test_a_token_before_its_expiry_works() -> None:
    future = datetime.now(UTC) + timedelta(days=1)
    registry = TokenRegistry([officer(expires_at=future)])
    assert await get_me(registry, OFFICER) == (200, {"subject": "officer-17"})


def test_an_expiry_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        officer(expires_at=datetime(2027, 1, 1, 12, 0))


def test_an_entry_with_an_expiry_round_trips_through_json() -> None:
    entry = officer(expires_at=datetime(2027, 1, 1, 5, 0, tzinfo=UTC))
    again = TokenEntry.model_validate_json(entry.model_dump_json())
    assert again.expires_at == entry.expires_at
    assert again.expired(datetime(2027, 1, 1, 5, 0, tzinfo=UTC))
    assert not again.expired(datetime(2027, 1, 1, 4, 59, tzinfo=UTC))


def file_registry(path: Path, clock: FakeClock) -> TokenRegistry:
    settings = AuthSettings(api_tokens=None, api_tokens_file=path)
    watch = TokenFileWatch(settings, clock=clock)
    return TokenRegistry([officer(), officer(OTHER, "officer-18")], watch=watch)


async def test_a_token_removed_from_the_file_is_refused_after_the_next_check(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens.json"
    write_entries(path, officer(), officer(OTHER, "officer-18"))
    clock = FakeClock()
    registry = file_registry(path, clock)
    write_entries(path, officer(OTHER, "officer-18"))

    # At most one look a second: within the second the old entries still hold.
    assert registry.resolve(OFFICER) is not None
    clock.now += 1.0
    assert registry.resolve(OFFICER) is None
    assert (await get_me(registry, OFFICER))[0] == 401
    assert registry.resolve(OTHER) is not None


def test_a_broken_file_keeps_the_last_good_tokens(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    write_entries(path, officer(), officer(OTHER, "officer-18"))
    clock = FakeClock()
    registry = file_registry(path, clock)
    path.write_text("[{not json", encoding="utf-8")
    clock.now += 5
    assert registry.resolve(OFFICER) is not None
    write_entries(path, officer(OTHER, "officer-18"))  # fixed: the revocation applies
    clock.now += 5
    assert registry.resolve(OFFICER) is None


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    write_entries(path, officer())
    clock = FakeClock()
    watch = TokenFileWatch(AuthSettings(api_tokens=None, api_tokens_file=path), clock=clock)
    clock.now += 10
    assert watch.changed_entries() is None
    write_entries(path, officer(), officer(OTHER, "officer-18"))
    clock.now += 10
    changed = watch.changed_entries()
    assert changed is not None and [e.subject for e in changed] == ["officer-17", "officer-18"]
