"""`plut parked`: list, show, replay and purge a service's parked messages.

The library behind it is `plut_shared.messaging.parking`. The broker URL is
PLUT_<SERVICE>_AMQP_URL (the service's own user, needed for `replay`), else
PLUT_AMQP_URL. `show` prints the
message body, which may hold personal data: it is for an operator's terminal,
never for a log.
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer
from plut_shared.messaging.parking import ParkedMessage, ParkingLot, as_json
from rich.console import Console
from rich.table import Table

from plut_cli.config import SERVICE_NAMES, Infrastructure
from plut_cli.errors import CliError, one_line_errors

app = typer.Typer(
    help="Messages a service could not process, parked with their reason.",
    no_args_is_help=True,
)
console = Console(highlight=False)

Service = Annotated[
    str,
    typer.Option(
        "--service", "-s", help=f"Service whose parking lot to use ({', '.join(SERVICE_NAMES)})."
    ),
]
MessageId = Annotated[str, typer.Argument(help="Message (event) id, as `list` shows it.")]


def _lot(service: str) -> ParkingLot:
    # The service's own broker user (PLUT_<SERVICE>_AMQP_URL) when set: only it may
    # put a message back on the service's queues (README, "Security").
    # Any name: a service without a parking lot gets the broker's own "no queue" answer.
    own_url = os.environ.get(f"PLUT_{service.upper()}_AMQP_URL")
    return ParkingLot(own_url or Infrastructure.from_env().amqp_url, service)


def _table(messages: list[ParkedMessage]) -> Table:
    table = Table()
    for column in ("message id", "event type", "reason", "error", "attempts", "queue", "parked at"):
        table.add_column(column, overflow="fold")
    for m in messages:
        error = f"{m.error_type}: {m.error_message}" if m.error_type else (m.error_message or "")
        table.add_row(
            m.message_id or "-",
            m.event_type or "-",
            m.reason,
            error,
            str(m.attempts or "-"),
            m.original_queue or "-",
            m.parked_at or "-",
        )
    return table


@app.command("list")
@one_line_errors
def list_(service: Service = "notifications") -> None:
    """List parked messages with their reason (up to 100)."""
    messages = asyncio.run(_lot(service).list())
    if not messages:
        console.print(f"no parked messages in {service}.parking")
        return
    console.print(_table(messages))


@app.command()
@one_line_errors
def show(message_id: MessageId, service: Service = "notifications") -> None:
    """Print one parked message: headers and body (may hold personal data)."""
    found = asyncio.run(_lot(service).inspect(message_id))
    if found is None:
        raise CliError(f"no parked message {message_id} in {service}.parking")
    typer.echo(as_json(found))


@app.command()
@one_line_errors
def replay(message_id: MessageId, service: Service = "notifications") -> None:
    """Send a parked message back to the queue it failed on, with fresh attempts."""
    try:
        replayed = asyncio.run(_lot(service).replay(message_id))
    except ValueError as error:
        raise CliError(str(error)) from None
    if not replayed:
        raise CliError(f"no parked message {message_id} in {service}.parking")
    console.print(f"replayed {message_id} to its original queue")


@app.command()
@one_line_errors
def purge(
    message_id: Annotated[str | None, typer.Argument(help="Message id; omit with --all.")] = None,
    service: Service = "notifications",
    everything: Annotated[bool, typer.Option("--all", help="Drop every parked message.")] = False,
) -> None:
    """Drop one parked message, or all of them with --all."""
    if (message_id is None) == (not everything):
        raise CliError("give a message id, or --all to drop every parked message (not both)")
    dropped = asyncio.run(_lot(service).purge(message_id))
    if message_id is not None and dropped == 0:
        raise CliError(f"no parked message {message_id} in {service}.parking")
    console.print(f"purged {dropped} message(s) from {service}.parking")
