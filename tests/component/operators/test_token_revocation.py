"""Tokens in the token file: a running service honours expiry and revocation without restart."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from plut_shared.auth import AuthSettings, TokenEntry, TokenRegistry
from registration.bootstrap import create_app
from registration.config import RegistrationSettings

from tests.support.plut import plut_async, serving_over_http
from tests.support.waiting import eventually


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    expired = TokenEntry.for_token(
        "expired-token",
        subject="officer-old",
        role="officer",
        centres=["malang"],
        expires_at=datetime.now(UTC) - timedelta(minutes=5),
    )
    path = tmp_path / "api_tokens.json"
    path.write_text(json.dumps([expired.model_dump(mode="json")]), encoding="utf-8")
    return path


@pytest.fixture
def service_url(infra, amqp_url: str, database_name: str, token_file: Path) -> Iterator[str]:
    settings = RegistrationSettings(
        amqp_url=amqp_url, mongo_url=infra.mongo_url, database=database_name
    )
    tokens = TokenRegistry.from_settings(AuthSettings(api_tokens=None, api_tokens_file=token_file))
    with serving_over_http(create_app(settings, tokens)) as url:
        yield url


async def mint(subject: str, token_file: Path) -> str:
    result = await plut_async(
        "tokens", "new", "--subject", subject, "--role", "officer",
        "--centre", "kota-mojokerto", "--expires", "1d", "--file", str(token_file),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[0].removeprefix("token: ")


async def status_for(url: str, token: str) -> int:
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.get("/enterprises", headers={"Authorization": f"Bearer {token}"})
        return response.status_code


async def test_a_token_minted_then_revoked_works_then_is_refused_without_a_restart(
    service_url: str, token_file: Path
) -> None:
    kept, revoked = await mint("officer-17", token_file), await mint("officer-18", token_file)
    await eventually(lambda: status_for(service_url, revoked), lambda code: code == 200)

    result = await plut_async("tokens", "revoke", "officer-18", "--file", str(token_file))
    assert result.exit_code == 0, result.stderr

    await eventually(lambda: status_for(service_url, revoked), lambda code: code == 401)
    assert await status_for(service_url, kept) == 200


async def test_an_expired_token_from_the_file_gets_401_saying_so(service_url: str) -> None:
    async with httpx.AsyncClient(base_url=service_url) as http:
        response = await http.get("/enterprises", headers={"Authorization": "Bearer expired-token"})
    assert response.status_code == 401
    assert response.json() == {"detail": "bearer token expired; ask an administrator for a new one"}
