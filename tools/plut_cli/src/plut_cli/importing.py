"""`plut import FILE --centre ID`: a bulk import through registration's HTTP API.

The file goes to `POST /enterprises/import`, which answers when every row is
done; a spinner runs meanwhile. Then the report: rows read, created, rejected,
and one line per rejected field with its reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from plut_cli.config import api_token, service
from plut_cli.errors import CliError, one_line_errors
from plut_cli.http_api import client, refusal

console = Console(highlight=False)
_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def upload(path: Path, centre: str, token: str, base_url: str) -> dict[str, Any]:
    content_type = _TYPES.get(path.suffix.lower(), "application/octet-stream")
    with client(base_url, token) as http, path.open("rb") as data:
        response = http.post(
            "/enterprises/import",
            params={"centre_id": centre},
            files={"file": (path.name, data, content_type)},
        )
    if response.status_code != 200:
        raise refusal(response)
    report: dict[str, Any] = response.json()
    return report


def render(report: dict[str, Any], console: Console) -> None:
    console.print(
        f"rows read {report['rows']}, created {report['created']}, "
        f"rejected {report['rejected']}, empty {report['empty_rows']}"
    )
    if report["errors"]:
        table = Table(title="Rejected rows", title_justify="left")
        for column in ("row", "field", "reason"):
            table.add_column(column, overflow="fold")
        for error in report["errors"]:
            table.add_row(str(error["row"]), error["field"], error["error"])
        console.print(table)
    duplicates = report.get("possible_duplicates") or {}
    if duplicates:
        rows = ", ".join(sorted(duplicates, key=int))
        console.print(f"possible duplicates of existing enterprises in rows: {rows}")


def import_command(
    file: Annotated[Path, typer.Argument(help="CSV (`,` or `;`) or XLSX, header in row 1.")],
    centre: Annotated[str, typer.Option(help="Centre for rows without one, e.g. kota-mojokerto.")],
    token: Annotated[str | None, typer.Option(help="API token (default: PLUT_API_TOKEN).")] = None,
    url: Annotated[str | None, typer.Option(help="Registration's base URL.")] = None,
) -> None:
    """Register many UMKM from a file through registration's HTTP API, then show the report."""
    if not file.is_file():
        raise CliError(f"no such file: {file}")
    bearer = api_token(token)
    base_url = (url or service("registration").base_url).rstrip("/")
    with console.status(f"importing {file.name} into {centre} ..."):
        report = upload(file, centre, bearer, base_url)
    render(report, console)


run = one_line_errors(import_command)
