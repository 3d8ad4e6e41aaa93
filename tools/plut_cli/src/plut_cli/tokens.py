"""`plut tokens`: mint, list and revoke API tokens.

Only SHA-256 digests are configured; a token is printed once, when minted.
With `--file` (or PLUT_API_TOKENS_FILE) the entry goes straight into the token
file, which the services re-read within a second, so neither a new token nor a
revocation needs a restart.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from plut_shared.auth_config import (
    TOKENS_ENV,
    TOKENS_FILE_ENV,
    AuthConfigError,
    Role,
    TokenEntry,
    describe_errors,
    parse_token_entries,
)
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from plut_cli.errors import CliError, one_line_errors
from plut_cli.token_file import WIB, parse_expiry, read_entries, short_id, write_entries

app = typer.Typer(help="API tokens: mint, list, revoke.", no_args_is_help=True)
console = Console(highlight=False)
notes = Console(stderr=True, highlight=False)

TokenFile = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        envvar=TOKENS_FILE_ENV,
        help=f"Token file the services read ({TOKENS_FILE_ENV}).",
        dir_okay=False,
    ),
]


@app.command()
@one_line_errors
def new(
    subject: Annotated[str, typer.Option(help="Officer or client id, not a person's name.")],
    role: Annotated[Role, typer.Option(help="admin, officer or viewer.")],
    centre: Annotated[list[str], typer.Option(help="Centre id, or '*' (admins); repeat.")],
    expires: Annotated[
        str | None, typer.Option(help="30d, 12h, a date (midnight WIB) or an ISO date and time.")
    ] = None,
    file: TokenFile = None,
) -> None:
    """Mint a token; print it once, with its entry (or add the entry to --file)."""
    token = secrets.token_urlsafe(32)
    expires_at = parse_expiry(expires) if expires else None
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise CliError(f"--expires {expires}: that is in the past")
    try:
        entry = TokenEntry.for_token(
            token, subject=subject, role=role, centres=centre, expires_at=expires_at
        )
    except ValidationError as error:
        raise CliError(f"invalid entry: {describe_errors(error, whole='entry')}") from None
    typer.echo(f"token: {token}")
    typer.echo(f"entry: {entry.model_dump_json(exclude_none=True)}")
    if file is not None:
        write_entries(file, [*_existing(file), entry])
        notes.print(f"added to {file}; services reading it accept the token within a second")
    else:
        notes.print(
            f"Hand the token to its holder privately; nothing stores it. Add the entry to "
            f"the JSON list in {TOKENS_ENV}, or mint with --file to add it to a token file."
        )


def _existing(file: Path) -> list[TokenEntry]:
    return read_entries(file) if file.exists() else []


def _expiry_text(entry: TokenEntry, now: datetime) -> tuple[str, str]:
    if entry.expires_at is None:
        return "never", "active"
    when = entry.expires_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")
    return when, "expired" if entry.expired(now) else "active"


@app.command("list")
@one_line_errors
def list_(file: TokenFile = None) -> None:
    """List configured tokens: id (digest prefix), subject, role, centres, expiry."""
    sources: list[tuple[str, list[TokenEntry]]] = []
    configured = os.environ.get(TOKENS_ENV, "")
    if configured.strip():
        try:
            sources.append((TOKENS_ENV, parse_token_entries(configured, TOKENS_ENV)))
        except AuthConfigError as error:
            raise CliError(str(error)) from None
    if file is not None:
        sources.append((str(file), read_entries(file)))
    if not sources:
        raise CliError(f"no tokens configured here: set {TOKENS_ENV}, or pass --file")
    now = datetime.now(UTC)
    table = Table()
    for column in ("id", "subject", "role", "centres", "expires", "state", "source"):
        table.add_column(column)
    for source, entries in sources:
        for entry in entries:
            table.add_row(
                short_id(entry),
                entry.subject,
                str(entry.role),
                ", ".join(entry.centres),
                *_expiry_text(entry, now),
                source,
            )
    console.print(table)


@app.command()
@one_line_errors
def revoke(
    who: Annotated[str, typer.Argument(help="Subject, or a token id as `list` shows it.")],
    file: TokenFile = None,
) -> None:
    """Remove a subject's tokens (or one token by id) from the token file."""
    if file is None:
        raise CliError(f"revoke edits a token file: pass --file or set {TOKENS_FILE_ENV}")
    entries = read_entries(file)
    by_id = len(who) >= 8 and all(c in "0123456789abcdef" for c in who.lower())
    doomed = [e for e in entries if e.subject == who or (by_id and e.sha256.startswith(who))]
    if not doomed:
        raise CliError(f"no token of subject or id {who!r} in {file}")
    write_entries(file, [e for e in entries if e not in doomed])
    ids = ", ".join(short_id(e) for e in doomed)
    console.print(f"revoked {len(doomed)} token(s) ({ids}); services refuse them within a second")
