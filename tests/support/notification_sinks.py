"""Real local servers standing in for the notification providers.

They are the same sinks `scripts/run` starts for a local run (`plut_cli.sinks`):
an SMTP server and an HTTP server speaking the WhatsApp/SMS provider API, both
able to fail on demand. Here the provider checks a fixed test token.
"""

from __future__ import annotations

from plut_cli.sinks import Mailbox, ProviderRequest, ProviderSink, ReceivedEmail, SmtpSink
from plut_cli.sinks.mailbox import free_port, wait_until

__all__ = [
    "FakeMessagingProvider",
    "Mailbox",
    "ProviderRequest",
    "ReceivedEmail",
    "SmtpSink",
    "free_port",
    "wait_until",
]


class FakeMessagingProvider(ProviderSink):
    def __init__(self, token: str = "test-token", mailbox: Mailbox | None = None) -> None:
        super().__init__(token, mailbox=mailbox)
