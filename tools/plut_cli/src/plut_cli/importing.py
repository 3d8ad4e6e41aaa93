"""`plut import FILE --centre ID`: a bulk import through registration's HTTP API.

The file goes to `POST /enterprises/import`, which answers at once with a
job; a progress bar follows the job (`GET /imports/{id}`: rows done of the
rows read, created, rejected) until it is done or failed. Then the counts and
one line per rejected field with its reason, read from the job's report a
page at a time (the first `SHOWN_REJECTED` rejected rows; the report holds
them all). A failed job ends the command with its reason and exit code 1.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from plut_cli.config import api_token, service
from plut_cli.errors import CliError, one_line_errors
from plut_cli.http_api import client, refusal

console = Console(highlight=False)
POLL_S = 0.5
SHOWN_REJECTED = 100
PAGE = 500
_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def upload(http: httpx.Client, path: Path, centre: str) -> dict[str, Any]:
    content_type = _TYPES.get(path.suffix.lower(), "application/octet-stream")
    with path.open("rb") as data:
        response = http.post(
            "/enterprises/import",
            params={"centre_id": centre},
            files={"file": (path.name, data, content_type)},
        )
    if response.status_code != 202:
        raise refusal(response)
    job: dict[str, Any] = response.json()
    return job


def _job(http: httpx.Client, job_url: str) -> dict[str, Any]:
    response = http.get(job_url)
    if response.status_code != 200:
        raise refusal(response)
    job: dict[str, Any] = response.json()
    return job


def follow(
    http: httpx.Client,
    job: dict[str, Any],
    out: Console,
    *,
    pause: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll the job until it is done or failed, with a progress bar of its rows."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),  # rows done of the rows read
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out) as bar:
        task = bar.add_task("reading the file", total=None, counts="")
        while True:
            counts = f"created {job['created']}, rejected {job['rejected']}"
            bar.update(
                task,
                description=job["state"],
                total=job["rows"] or None,
                completed=job["rows_done"],
                counts=counts,
            )
            if job["state"] in ("done", "failed"):
                return job
            pause(POLL_S)
            job = _job(http, job["job_url"])


def rejected_rows(http: httpx.Client, job: dict[str, Any]) -> list[dict[str, Any]]:
    """The first `SHOWN_REJECTED` rejected rows of the job's report."""
    found: list[dict[str, Any]] = []
    offset = 0
    while len(found) < SHOWN_REJECTED:
        response = http.get(job["rows_url"], params={"offset": offset, "limit": PAGE})
        if response.status_code != 200:
            raise refusal(response)
        page = response.json()
        found.extend(row for row in page["items"] if row["errors"])
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break
    return found[:SHOWN_REJECTED]


def render(job: dict[str, Any], rejected: list[dict[str, Any]], out: Console) -> None:
    out.print(
        f"rows read {job['rows']}, created {job['created']}, "
        f"rejected {job['rejected']}, empty {job['empty_rows']}"
    )
    if rejected:
        table = Table(title="Rejected rows", title_justify="left")
        for column in ("row", "field", "reason"):
            table.add_column(column, overflow="fold")
        for row in rejected:
            for error in row["errors"]:
                table.add_row(str(row["row"]), error["field"], error["error"])
        out.print(table)
    if job["rejected"] > len(rejected):
        out.print(f"{job['rejected'] - len(rejected)} more rejected rows: GET {job['rows_url']}")


def import_command(
    file: Annotated[Path, typer.Argument(help="CSV (`,` or `;`) or XLSX, header in row 1.")],
    centre: Annotated[str, typer.Option(help="Centre for rows without one, e.g. kota-mojokerto.")],
    token: Annotated[str | None, typer.Option(help="API token (default: PLUT_API_TOKEN).")] = None,
    url: Annotated[str | None, typer.Option(help="Registration's base URL.")] = None,
) -> None:
    """Register many UMKM from a file through registration's HTTP API: follow the import
    job with a progress bar, then show its rejected rows."""
    if not file.is_file():
        raise CliError(f"no such file: {file}")
    bearer = api_token(token)
    base_url = (url or service("registration").base_url).rstrip("/")
    with client(base_url, bearer) as http:
        with console.status(f"uploading {file.name} for {centre} ..."):
            job = upload(http, file, centre)
        job = follow(http, job, console)
        render(job, rejected_rows(http, job), console)
    if job["state"] == "failed":
        raise CliError(f"import {job['import_id']} failed: {job['error']}")


run = one_line_errors(import_command)
