"""`plut`: the operator command of the PLUT platform (README, "Operator command").

Every subcommand reads the same environment variables as the services
(PLUT_AMQP_URL, PLUT_MONGO_URL, PLUT_RABBIT_MANAGEMENT_URL), plus
PLUT_API_TOKEN (or --token) and PLUT_<SERVICE>_URL for the HTTP APIs.
"""

from __future__ import annotations

import typer
from plut_shared.store_check.cli import main as store_check_main
from rich.console import Console

from plut_cli import importing, parked, partners, tokens
from plut_cli.config import Infrastructure
from plut_cli.demo import load as demo
from plut_cli.errors import one_line_errors
from plut_cli.sinks.serve import sinks_command
from plut_cli.status import render, snapshot

app = typer.Typer(
    name="plut",
    help="Operate the PLUT platform: status, parked messages, tokens, partners, imports, demo.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(parked.app, name="parked")
app.add_typer(tokens.app, name="tokens")
app.add_typer(partners.app, name="partners")
app.add_typer(demo.app, name="demo")
app.command("import")(importing.run)
app.command("sinks")(one_line_errors(sinks_command))


@app.command("store-check")
def store_check(
    url: str = typer.Argument(help="MongoDB URL of the store to check, e.g. mongodb://host:27017/"),
    write_restart_marker: bool = typer.Option(
        False, help="Step 1 of the restart check: write markers, then restart the store."
    ),
    verify_restart_marker: bool = typer.Option(
        False, help="Step 2: after a graceful restart, check every marker is there."
    ),
) -> None:
    """Check that a store keeps every guarantee the platform relies on (README)."""
    argv = [url]
    if write_restart_marker:
        argv.append("--write-restart-marker")
    if verify_restart_marker:
        argv.append("--verify-restart-marker")
    raise typer.Exit(store_check_main(argv))


@app.command()
@one_line_errors
def status() -> None:
    """Broker, store and services: health, queues, consumers, parked, outbox backlog."""
    infra = Infrastructure.from_env()
    render(infra, snapshot(infra), Console(highlight=False))


def main() -> None:
    app()
