"""`plut demo load`: the demo enterprises, registered through registration's HTTP API.

Idempotent: a NIK, phone or NIB already registered answers 409, counted as
"already there", so a second run creates nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from plut_cli.config import api_token, service
from plut_cli.demo.enterprises import SEED, demo_enterprises
from plut_cli.errors import one_line_errors
from plut_cli.http_api import client, refusal

app = typer.Typer(help="Demo data through the public HTTP APIs.", no_args_is_help=True)
console = Console(highlight=False)


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    already_there: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # business, reason

    @property
    def centres(self) -> list[str]:
        return sorted(set(self.created) | set(self.already_there))


def register(http: httpx.Client, body: dict[str, Any], report: LoadReport) -> None:
    response = http.post("/enterprises", json=body)
    centre = body["centre_id"]
    if response.status_code == 201:
        report.created[centre] += 1
    elif response.status_code == 409:
        report.already_there[centre] += 1
    elif response.status_code in (401, 403):
        raise refusal(response)  # the same for every row: stop at the first
    else:
        report.failed.append((body["business_name"], str(refusal(response))))


def load(base_url: str, token: str, seed: int = SEED, show_progress: bool = True) -> LoadReport:
    bodies = demo_enterprises(seed)
    report = LoadReport()
    with (
        client(base_url, token) as http,
        Progress(console=console, disable=not show_progress) as bar,
    ):
        task = bar.add_task("registering demo enterprises", total=len(bodies))
        for body in bodies:
            register(http, body, report)
            bar.advance(task)
    return report


def render(report: LoadReport) -> None:
    table = Table(title="Demo enterprises (fictional)", title_justify="left")
    for column in ("centre", "created", "already there"):
        table.add_column(column, justify="left" if column == "centre" else "right")
    for centre in report.centres:
        table.add_row(centre, str(report.created[centre]), str(report.already_there[centre]))
    console.print(table)
    for business, reason in report.failed:
        console.print(f"[red]not registered[/red] {business}: {reason}")


@app.command("load")
@one_line_errors
def load_command(
    token: Annotated[
        str | None, typer.Option(help="Admin API token (default: PLUT_API_TOKEN).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Registration's base URL.")] = None,
    seed: Annotated[
        int, typer.Option(help="Another seed gives other invented enterprises.")
    ] = SEED,
) -> None:
    """Register the Kota Mojokerto footwear cluster and a few enterprises per other centre."""
    base_url = (url or service("registration").base_url).rstrip("/")
    report = load(base_url, api_token(token), seed)
    render(report)
    if report.failed:
        raise typer.Exit(1)
