"""The token is checked before the body is read, and bodies are bounded (413 with the limit)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx

from tests.component.registration.examples import auth, registration
from tests.component.registration.imports import import_file

MIB = 1_048_576


class StreamedBody:
    """A large JSON array sent in chunks; counts how many the server pulled."""

    def __init__(self, chunks: int, chunk_bytes: int = 64 * 1024) -> None:
        self.total_chunks = chunks
        self.chunk = b"[" + b"1," * (chunk_bytes // 2 - 1) + b"1]"
        self.pulled = 0
        self.resume = asyncio.Event()
        self.resume.set()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.total_chunks):
            await self.resume.wait()
            self.pulled += 1
            yield self.chunk


async def test_a_big_body_without_a_token_gets_401_before_the_body_is_read(
    client: httpx.AsyncClient,
):
    body = StreamedBody(chunks=1_500)  # about 94 MB if it were all read

    response = await client.post(
        "/enterprises", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "missing bearer token (Authorization: Bearer <token>)"}
    assert body.pulled == 0


async def test_a_wrong_token_or_basic_auth_is_refused_before_the_body_is_read(
    client: httpx.AsyncClient,
):
    upload = "multipart/form-data; boundary=x"
    for path, kind in (("/enterprises", "application/json"), ("/enterprises/import", upload)):
        for header in ("Bearer not-a-token", "Basic dC1hZG1pbjp4"):
            body = StreamedBody(chunks=100)
            response = await client.post(
                path, content=body, headers={"Authorization": header, "Content-Type": kind}
            )
            assert response.status_code == 401, (path, header)
            assert body.pulled == 0, (path, header)


async def test_a_json_body_over_the_limit_gets_413_naming_the_limit(client: httpx.AsyncClient):
    declared = json.dumps(registration(owner_name="x" * (MIB + 10))).encode()

    response = await client.post("/enterprises", content=declared, headers=auth("officer"))

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is larger than the {MIB} bytes this endpoint accepts"
    }


async def test_a_streamed_body_is_cut_off_at_the_limit_while_health_answers(
    client: httpx.AsyncClient,
):
    body = StreamedBody(chunks=1_500)
    body.resume.clear()
    headers = auth("officer") | {"Content-Type": "application/json"}
    upload = asyncio.create_task(client.post("/enterprises", content=body, headers=headers))
    await asyncio.sleep(0)  # the upload is now waiting for its first chunk

    health = await client.get("/health")
    body.resume.set()
    response = await upload

    assert health.status_code == 200
    assert response.status_code == 413
    assert str(MIB) in response.json()["detail"]
    assert body.pulled <= MIB // len(body.chunk) + 2  # read no further than the limit


async def test_a_body_within_the_limit_still_registers(client: httpx.AsyncClient):
    response = await client.post("/enterprises", json=registration(), headers=auth("officer"))

    assert response.status_code == 201, response.text


async def test_the_import_endpoint_keeps_its_own_larger_file_limit(client: httpx.AsyncClient):
    header = "nama_pemilik,nik,no_hp,nama_usaha,sektor,kabupaten_kota,kecamatan,modal,catatan\n"
    # Notes in a column the import ignores: a 2 MiB file with nothing to register.
    notes = "".join(f",,,,,,,,{'n' * 100_000}\n" for _ in range(21))

    imported = await import_file(client, (header + notes).encode())

    assert imported.upload.status_code == 202
    assert (imported.job["state"], imported.job["rows"], imported.job["created"]) == ("done", 21, 0)


async def test_a_streamed_upload_past_the_import_limit_is_cut_off_with_a_413(
    client: httpx.AsyncClient,
):
    boundary = b"plutboundary"
    head = (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    )
    body = StreamedBody(chunks=400, chunk_bytes=128 * 1024)  # 51 MB of file content

    async def upload() -> AsyncIterator[bytes]:
        yield head
        async for chunk in body:
            yield chunk

    headers = auth("officer") | {
        "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"
    }
    response = await client.post("/enterprises/import", content=upload(), headers=headers)

    assert response.status_code == 413
    assert "bytes this endpoint accepts" in response.json()["detail"]
    assert body.pulled * len(body.chunk) < 21 * MIB  # stopped near the 20 MB file limit
