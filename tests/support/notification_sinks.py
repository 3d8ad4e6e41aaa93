"""Real local servers standing in for the notification providers.

`SmtpSink` is an aiosmtpd SMTP server that keeps what it receives;
`FakeMessagingProvider` is a small HTTP server (uvicorn + Starlette) speaking
the WhatsApp/SMS provider API (`POST /v1/messages`). Both run in their own
thread, so they work with any event loop and with services running in other
processes; both can be told to fail, to prove how the channels classify errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

LOCALHOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now (also good for "connection refused")."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the sink did not receive the expected messages in time")
        await asyncio.sleep(0.02)


# --- SMTP --------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedEmail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content().strip() if part is not None else ""


class _SmtpHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self._sink._next_rcpt_reply()
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self._sink.received.append(
            ReceivedEmail(envelope.mail_from, tuple(envelope.rcpt_tos), parsed)
        )
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        self.host = LOCALHOST
        self.port = free_port()
        self.received: list[ReceivedEmail] = []
        self._rcpt_replies: list[str] = []
        self._lock = threading.Lock()
        self._controller = Controller(_SmtpHandler(self), hostname=self.host, port=self.port)

    def reject_recipients(self, reply: str, times: int = 1) -> None:
        """Answer the next RCPT TO commands with `reply`, e.g. "550 5.1.1 No such user"."""
        with self._lock:
            self._rcpt_replies.extend([reply] * times)

    def _next_rcpt_reply(self) -> str | None:
        with self._lock:
            return self._rcpt_replies.pop(0) if self._rcpt_replies else None

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedEmail]:
        await wait_until(lambda: len(self.received) >= count, timeout)
        return list(self.received)

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- HTTP messaging provider -------------------------------------------------


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


class FakeMessagingProvider:
    """`POST /v1/messages` like a WhatsApp/SMS gateway that deduplicates by idempotency key.

    `requests` holds every request; `delivered` only the first per key (what an
    owner's phone would actually show).
    """

    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self.requests: list[ProviderRequest] = []
        self.delivered: list[ProviderRequest] = []
        self._ids_by_key: dict[str, str] = {}
        self._behaviour = _Behaviour()
        self._lock = threading.Lock()
        self._socket = socket.socket()
        self._socket.bind((LOCALHOST, 0))
        self.base_url = f"http://{LOCALHOST}:{self._socket.getsockname()[1]}"
        app = Starlette(routes=[Route("/v1/messages", self._messages, methods=["POST"])])
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
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

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[ProviderRequest]:
        await wait_until(lambda: len(self.delivered) >= count, timeout)
        return list(self.delivered)

    async def _messages(self, request: Request) -> JSONResponse:
        recorded = ProviderRequest(request.headers.get("authorization"), await request.json())
        self.requests.append(recorded)
        status, retry_after, delay = self._next_behaviour()
        if delay:
            await asyncio.sleep(delay)
        if recorded.authorization != f"Bearer {self.token}":
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
        return JSONResponse({"id": known, "status": "accepted"}, status_code=202)

    def start(self) -> FakeMessagingProvider:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake messaging provider did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self._socket.close()

    def __enter__(self) -> FakeMessagingProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
