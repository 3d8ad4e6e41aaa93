"""The same door as every service: token before body, bounded bodies."""

from __future__ import annotations

from tests.component.notifications.service import OFFICER, bearer

MIB = 1_048_576


async def test_a_request_without_a_token_gets_401_before_its_body_is_read(service):
    pulled = 0

    async def body():
        nonlocal pulled
        for _ in range(1_000):
            pulled += 1
            yield b"x" * 65_536

    response = await service.http.post("/messages/any/resend", content=body())

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert pulled == 0


async def test_a_body_over_the_limit_gets_413_naming_the_limit(service):
    response = await service.http.put(
        "/enterprises/any/opt-outs/sms", content=b"x" * (MIB + 1), headers=bearer(OFFICER)
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is larger than the {MIB} bytes this endpoint accepts"
    }
