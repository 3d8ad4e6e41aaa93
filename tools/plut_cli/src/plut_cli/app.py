"""`plut`: the operator command of the PLUT platform (README, "Operator command").

Every subcommand reads the same environment variables as the services
(PLUT_AMQP_URL, PLUT_MONGO_URL, PLUT_RABBIT_MANAGEMENT_URL), plus
PLUT_API_TOKEN (or --token) and PLUT_<SERVICE>_URL for the HTTP APIs.
"""

from __future__ import annotations

import typer
from rich.console import Console

from plut_cli import importing, parked, tokens
from plut_cli.config import Infrastructure
from plut_cli.demo import load as demo
from plut_cli.errors import one_line_errors
from plut_cli.sinks.serve import sinks_command
from plut_cli.status import render, snapshot

app = typer.Typer(
    name="plut",
    help="Operate the PLUT platform: status, parked messages, tokens, imports, demo data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(parked.app, name="parked")
app.add_typer(tokens.app, name="tokens")
app.add_typer(demo.app, name="demo")
app.command("import")(importing.run)
app.command("sinks")(one_line_errors(sinks_command))
# `plut store-check URL` joins here (plut_shared.store_check.main(argv)) once it exists.


@app.command()
@one_line_errors
def status() -> None:
    """Broker, store and services: health, queues, consumers, parked, outbox backlog."""
    infra = Infrastructure.from_env()
    render(infra, snapshot(infra), Console(highlight=False))


def main() -> None:
    app()
