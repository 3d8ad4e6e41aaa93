"""An SMTP server on 127.0.0.1 that keeps what it accepts (aiosmtpd, in its own thread)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from plut_cli.sinks.mailbox import LOCALHOST, Delivered, Mailbox, free_port, wait_until


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
        self._sink._keep(ReceivedEmail(envelope.mail_from, tuple(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


class SmtpSink:
    """Keeps every message in `received`, and in `mailbox` for the sink page."""

    def __init__(self, port: int | None = None, mailbox: Mailbox | None = None) -> None:
        self.host = LOCALHOST
        self.port = port or free_port()
        self.mailbox = mailbox if mailbox is not None else Mailbox()
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

    def _keep(self, email: ReceivedEmail) -> None:
        self.received.append(email)
        for recipient in email.rcpt_tos:
            self.mailbox.add(Delivered("email", recipient, email.body, subject=email.subject))

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[ReceivedEmail]:  # noqa: ASYNC109
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
