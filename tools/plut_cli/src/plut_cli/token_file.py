"""The token file (PLUT_API_TOKENS_FILE): read it, and replace it atomically.

Services re-read the file when it changes (`plut_shared.auth_reload`). Writing a
new file beside it and renaming it over the old one means a service never reads
half a file; the file keeps its permissions (0600 when it is new).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from plut_shared.auth_config import AuthConfigError, TokenEntry, parse_token_entries

from plut_cli.errors import CliError

WIB = timezone(timedelta(hours=7), "WIB")
_RELATIVE = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def read_entries(path: Path) -> list[TokenEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"token file {path} does not exist") from None
    try:
        return parse_token_entries(text, str(path)) if text.strip() else []
    except AuthConfigError as error:
        raise CliError(str(error)) from None


def write_entries(path: Path, entries: list[TokenEntry]) -> None:
    text = json.dumps([e.model_dump(mode="json", exclude_none=True) for e in entries], indent=2)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def short_id(entry: TokenEntry) -> str:
    """The first 8 hex digits of the digest: enough to name an entry, useless to an attacker."""
    return entry.sha256[:8]


def parse_expiry(text: str, now: datetime | None = None) -> datetime:
    """`30d`, `12h`, `45m`, a date (midnight WIB at its start) or a date and time.

    A date and time without a UTC offset is read as WIB (UTC+7).
    """
    now = now or datetime.now(UTC)
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        return now + timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(0, 0), WIB)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            f"--expires {text!r}: use 30d, 12h, 45m, a date (2027-01-31) "
            "or a date and time (2027-01-31T17:00+07:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)
