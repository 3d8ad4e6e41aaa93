"""`plut sinks`: the SMTP sink and the provider sink with its page, until interrupted."""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer

from plut_cli.sinks.mailbox import Mailbox
from plut_cli.sinks.provider import ProviderSink
from plut_cli.sinks.smtp import SmtpSink

TOKEN_ENV = "PLUT_NOTIFICATIONS_PROVIDER_TOKEN"  # noqa: S105 (a variable name)


def sinks_command(
    http_port: Annotated[int, typer.Option(help="Provider API and message page.")] = 8090,
    smtp_port: Annotated[int, typer.Option(help="SMTP sink.")] = 8025,
) -> None:
    """Catch what notifications sends (SMTP and the WhatsApp/SMS API) and list it on a page.

    The provider sink accepts only the token in PLUT_NOTIFICATIONS_PROVIDER_TOKEN
    (the one notifications sends) when that variable is set.
    """
    token = os.environ.get(TOKEN_ENV) or None
    mailbox = Mailbox()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with SmtpSink(smtp_port, mailbox), ProviderSink(token, http_port, mailbox) as provider:
        typer.echo(f"[sinks] messages to owners: {provider.base_url}/", err=True)
        typer.echo(
            f"[sinks] SMTP 127.0.0.1:{smtp_port}, provider API {provider.base_url}", err=True
        )
        stop.wait()
