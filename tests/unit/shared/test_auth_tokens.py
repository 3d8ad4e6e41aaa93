"""The bearer-token scheme every service's HTTP API uses (plut_shared.auth)."""

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from plut_shared.auth import (
    AuthConfigError,
    AuthSettings,
    CurrentPrincipal,
    Principal,
    Role,
    TokenEntry,
    TokenRegistry,
    authenticated,
    digest_token,
    ensure_centre,
    install_auth,
    require_role,
)

ADMIN, OFFICER, VIEWER = "admin-token", "officer-token", "viewer-token"
MOJOKERTO, MALANG = "kota-mojokerto", "malang"


def entries() -> list[TokenEntry]:
    return [
        TokenEntry.for_token(ADMIN, subject="admin-1", role="admin", centres=["*"]),
        TokenEntry.for_token(OFFICER, subject="officer-17", role="officer", centres=[MOJOKERTO]),
        TokenEntry.for_token(VIEWER, subject="viewer-3", role="viewer", centres=[MOJOKERTO]),
    ]


def build_app(registry: TokenRegistry) -> FastAPI:
    app = FastAPI()
    install_auth(app, registry)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/centres/{centre_id}/enterprises/{umkm_id}")
    def read(centre_id: str, umkm_id: str, principal: CurrentPrincipal) -> dict[str, object]:
        ensure_centre(principal, centre_id, detail="enterprise not found")
        return {"subject": principal.subject, "sees_nik": principal.sees_nik}

    @app.post(
        "/centres/{centre_id}/enterprises",
        dependencies=[Depends(require_role("admin", "officer"))],
        status_code=201,
    )
    def register(centre_id: str) -> dict[str, str]:
        return {"centre_id": centre_id}

    return app


def client_for(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://plut.test")


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    async with client_for(build_app(TokenRegistry(entries()))) as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("PLUT_API_TOKENS", raising=False)
    monkeypatch.delenv("PLUT_API_TOKENS_FILE", raising=False)
    return monkeypatch


async def test_an_unknown_token_gets_401_with_a_bearer_challenge(client: AsyncClient) -> None:
    response = await client.get(f"/centres/{MOJOKERTO}/enterprises/u1", headers=bearer("nope"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_missing_or_non_bearer_authorization_gets_401(client: AsyncClient) -> None:
    path = f"/centres/{MOJOKERTO}/enterprises/u1"
    assert (await client.get(path)).status_code == 401
    basic = await client.get(path, headers={"Authorization": "Basic b2ZmaWNlcjpwdw=="})
    assert basic.status_code == 401
    assert basic.headers["WWW-Authenticate"] == "Bearer"


async def test_health_needs_no_token(client: AsyncClient) -> None:
    assert (await client.get("/health")).status_code == 200


async def test_a_viewer_who_tries_to_write_gets_403_naming_the_roles_needed(
    client: AsyncClient,
) -> None:
    response = await client.post(f"/centres/{MOJOKERTO}/enterprises", headers=bearer(VIEWER))
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "viewer" in detail and "admin" in detail and "officer" in detail


async def test_an_officer_may_write_in_their_own_centre(client: AsyncClient) -> None:
    response = await client.post(f"/centres/{MOJOKERTO}/enterprises", headers=bearer(OFFICER))
    assert response.status_code == 201


async def test_an_officer_reading_another_centre_gets_404_as_if_it_did_not_exist(
    client: AsyncClient,
) -> None:
    other = await client.get(f"/centres/{MALANG}/enterprises/u1", headers=bearer(OFFICER))
    own = await client.get(f"/centres/{MOJOKERTO}/enterprises/u1", headers=bearer(OFFICER))
    assert other.status_code == 404
    assert other.json() == {"detail": "enterprise not found"}
    assert own.status_code == 200
    assert own.json() == {"subject": "officer-17", "sees_nik": True}


async def test_an_admin_with_the_star_centre_reaches_every_centre(client: AsyncClient) -> None:
    for centre in (MOJOKERTO, MALANG, "batu"):
        response = await client.get(f"/centres/{centre}/enterprises/u1", headers=bearer(ADMIN))
        assert response.status_code == 200


def test_the_star_centre_is_refused_for_anyone_but_an_admin() -> None:
    with pytest.raises(ValueError, match="admins only"):
        TokenEntry.for_token("t", subject="officer-1", role="officer", centres=["*"])


def test_only_admins_and_officers_see_full_niks() -> None:
    centres = frozenset({MOJOKERTO})
    assert Principal("a", Role.ADMIN, centres).sees_nik
    assert Principal("o", Role.OFFICER, centres).sees_nik
    assert not Principal("v", Role.VIEWER, centres).sees_nik


async def test_authenticated_binds_a_registry_without_app_state() -> None:
    app = FastAPI()
    Caller = Annotated[Principal, Depends(authenticated(TokenRegistry(entries())))]

    @app.get("/me")
    def me(principal: Caller) -> dict[str, str]:
        return {"subject": principal.subject}

    async with client_for(app) as http:
        assert (await http.get("/me", headers=bearer(VIEWER))).json() == {"subject": "viewer-3"}
        assert (await http.get("/me", headers=bearer("nope"))).status_code == 401


async def test_a_route_on_an_app_without_install_auth_fails_closed() -> None:
    app = FastAPI()

    @app.get("/me")
    def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"subject": principal.subject}

    async with client_for(app) as http:
        with pytest.raises(RuntimeError, match="install_auth"):
            await http.get("/me", headers=bearer(ADMIN))


def config_json(*items: TokenEntry) -> str:
    return json.dumps([item.model_dump(mode="json") for item in items])


def test_tokens_are_configured_by_digest_in_the_environment(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("PLUT_API_TOKENS", config_json(*entries()))
    registry = TokenRegistry.from_settings(AuthSettings())
    assert len(registry) == 3
    assert registry.resolve(OFFICER) == Principal(
        "officer-17", Role.OFFICER, frozenset({MOJOKERTO})
    )
    assert registry.resolve(digest_token(OFFICER)) is None  # the digest is not a token
    configured = os.environ["PLUT_API_TOKENS"]
    assert digest_token(OFFICER) in configured and OFFICER not in configured


def test_tokens_are_read_from_a_file_and_added_to_the_environment_ones(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    admin, officer, viewer = entries()
    secret = tmp_path / "api_tokens.json"
    secret.write_text(config_json(officer, viewer), encoding="utf-8")
    clean_env.setenv("PLUT_API_TOKENS_FILE", str(secret))
    clean_env.setenv("PLUT_API_TOKENS", config_json(admin))
    registry = TokenRegistry.from_settings(AuthSettings())
    resolved = [registry.resolve(token) for token in (ADMIN, OFFICER, VIEWER)]
    assert [p.subject if p else None for p in resolved] == ["admin-1", "officer-17", "viewer-3"]


def test_a_blank_file_variable_counts_as_unset(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PLUT_API_TOKENS_FILE", "")
    clean_env.setenv("PLUT_API_TOKENS", config_json(*entries()))
    assert len(TokenRegistry.from_settings(AuthSettings())) == 3


def test_uppercase_digests_are_accepted() -> None:
    entry = TokenEntry(
        sha256=digest_token(OFFICER).upper(), subject="o-1", role=Role.OFFICER, centres=[MALANG]
    )
    assert TokenRegistry([entry]).resolve(OFFICER) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[{not json", "PLUT_API_TOKENS is not valid JSON"),
        ('{"sha256": "x"}', "PLUT_API_TOKENS is invalid: top level"),
        (
            json.dumps([{"sha256": "a" * 64, "subject": "o-1", "role": "boss", "centres": ["x"]}]),
            "PLUT_API_TOKENS is invalid: entry 0 role",
        ),
        (
            json.dumps([{"sha256": "s3cret", "subject": "o-1", "role": "admin", "centres": ["*"]}]),
            "not the token",
        ),
        (
            json.dumps([{"sha256": "a" * 64, "subject": "o-1", "role": "admin", "centre": ["*"]}]),
            "entry 0 centres: Field required; entry 0 centre: Extra inputs",
        ),
    ],
)
def test_a_malformed_environment_config_gives_an_error_naming_the_variable(
    clean_env: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    clean_env.setenv("PLUT_API_TOKENS", value)
    with pytest.raises(AuthConfigError, match=expected) as caught:
        TokenRegistry.from_settings(AuthSettings())
    assert "s3cret" not in str(caught.value)  # never echo what might be a token


def test_a_malformed_or_missing_file_gives_an_error_naming_the_file_variable(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "tokens.json"
    broken.write_text("[", encoding="utf-8")
    for path in (broken, tmp_path / "absent.json"):
        clean_env.setenv("PLUT_API_TOKENS_FILE", str(path))
        with pytest.raises(AuthConfigError, match="PLUT_API_TOKENS_FILE"):
            TokenRegistry.from_settings(AuthSettings())


def test_no_configured_tokens_stops_the_service_from_starting(
    clean_env: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(AuthConfigError, match="set PLUT_API_TOKENS or PLUT_API_TOKENS_FILE"):
        TokenRegistry.from_settings(AuthSettings())


def test_two_entries_with_one_digest_are_refused() -> None:
    first, second = (
        TokenEntry.for_token(OFFICER, subject=s, role="officer", centres=[MOJOKERTO])
        for s in ("officer-1", "officer-2")
    )
    with pytest.raises(AuthConfigError, match="share one sha256"):
        TokenRegistry([first, second])


def test_require_role_rejects_an_unknown_role_name_when_the_route_is_defined() -> None:
    with pytest.raises(ValueError, match="admn"):
        require_role("admn")
