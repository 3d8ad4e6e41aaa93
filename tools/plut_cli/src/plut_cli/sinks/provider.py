"""`POST /v1/messages` like a WhatsApp/SMS gateway, plus the page of received messages.

Deduplicates by idempotency key as real providers do: `requests` holds every
request, `delivered` only the first per key (what an owner's phone would
show). Runs uvicorn in its own thread, so it works with any event loop and
with services in other processes; it can be told to fail, to show how the
channels classify errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from plut_cli.sinks.mailbox import LOCALHOST, Delivered, Mailbox, wait_until
from plut_cli.sinks.page import page_routes

MESSAGES_PATH = "/v1/messages"


@dataclass(frozen=True)
class ProviderRequest:
    authorization: str | None
    json: dict[str, Any]

    @property
    def channel(self) -> str:
        return str(self.json.get("channel"))

    @property
    def to(self) -> str:
        return str(self.json.get("to"))

    @property
    def text(self) -> str:
        return str(self.json.get("text"))

    @property
    def idempotency_key(self) -> str | None:
        return self.json.get("idempotency_key")


@dataclass
class _Behaviour:
    statuses: list[tuple[int, int | None]] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)


class ProviderSink:
    """The provider API on `base_url`; the page of `mailbox` on its `/`."""

    def __init__(
        self, token: str | None = None, port: int = 0, mailbox: Mailbox | None = None
    ) -> None:
        # token None: any caller is accepted (a local run without a provider token).
        self.token = token
        self.mailbox = mailbox if mailbox is not None else Mailbox()
        self.requests: list[ProviderRequest] = []
        self.delivered: list[ProviderRequest] = []
        self._ids_by_key: dict[str, str] = {}
        self._behaviour = _Behaviour()
        self._lock = threading.Lock()
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((LOCALHOST, port))
        self.base_url = f"http://{LOCALHOST}:{self._socket.getsockname()[1]}"
        routes = [
            Route(MESSAGES_PATH, self._messages, methods=["POST"]),
            *page_routes(self.mailbox),
        ]
        config = uvicorn.Config(
            Starlette(routes=routes),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None) -> None:
        """Answer the next requests with `status` (e.g. 503 or 400) instead of accepting."""
        with self._lock:
            self._behaviour.statuses.extend([(status, retry_after)] * times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Hold the next answers for `seconds`, to make a client time out."""
        with self._lock:
            self._behaviour.delays.extend([seconds] * times)

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[ProviderRequest]:  # noqa: ASYNC109
        await wait_until(lambda: len(self.delivered) >= count, timeout)
        return list(self.delivered)

    async def _messages(self, request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "body is not JSON"}, status_code=400)
        recorded = ProviderRequest(request.headers.get("authorization"), body)
        self.requests.append(recorded)
        status, retry_after, delay = self._next_behaviour()
        if delay:
            await asyncio.sleep(delay)
        if self.token is not None and recorded.authorization != f"Bearer {self.token}":
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        if status is not None:
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
            return JSONResponse({"error": f"forced {status}"}, status_code=status, headers=headers)
        return self._accept(recorded)

    def _next_behaviour(self) -> tuple[int | None, int | None, float]:
        with self._lock:
            status, retry_after = (
                self._behaviour.statuses.pop(0) if self._behaviour.statuses else (None, None)
            )
            delay = self._behaviour.delays.pop(0) if self._behaviour.delays else 0.0
        return status, retry_after, delay

    def _accept(self, recorded: ProviderRequest) -> JSONResponse:
        key = recorded.idempotency_key or uuid.uuid4().hex
        with self._lock:
            known = self._ids_by_key.get(key)
            if known is None:
                known = self._ids_by_key[key] = f"wamid-{uuid.uuid4().hex[:16]}"
                self.delivered.append(recorded)
                self.mailbox.add(Delivered(recorded.channel, recorded.to, recorded.text))
        return JSONResponse({"id": known, "status": "accepted"}, status_code=202)

    def start(self) -> ProviderSink:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("provider sink did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self._socket.close()

    def __enter__(self) -> ProviderSink:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
