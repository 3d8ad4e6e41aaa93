"""`plut tokens`: mint (with an expiry), list without revealing tokens, revoke in the file."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from plut_cli.token_file import WIB, parse_expiry, read_entries
from plut_shared.auth import TokenEntry, digest_token

from tests.support.plut import plut

NOW = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_configured_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLUT_API_TOKENS", raising=False)
    monkeypatch.delenv("PLUT_API_TOKENS_FILE", raising=False)


def minted(*args: str) -> tuple[str, TokenEntry]:
    result = plut("tokens", "new", *args)
    assert result.exit_code == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    return lines["token"], TokenEntry.model_validate_json(lines["entry"])


def test_new_prints_a_fresh_token_and_the_entry_holding_its_digest() -> None:
    args = ("--subject", "officer-17", "--role", "officer", "--centre", "kota-mojokerto")
    token, entry = minted(*args)
    assert entry.sha256 == digest_token(token)
    assert len(token) >= 43  # 32 random bytes, base64url
    assert (entry.subject, entry.role, entry.centres) == (
        "officer-17",
        "officer",
        ["kota-mojokerto"],
    )
    assert entry.expires_at is None
    assert minted(*args)[0] != token


def test_new_refuses_the_star_centre_for_an_officer_in_one_line() -> None:
    result = plut("tokens", "new", "--subject", "o-1", "--role", "officer", "--centre", "*")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("plut: error: invalid entry")
    assert "admins only" in result.stderr


def test_new_with_an_expiry_and_a_file_adds_the_entry_to_a_private_file(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    args = ("--subject", "viewer-3", "--role", "viewer", "--centre", "malang")
    token, entry = minted(*args, "--expires", "30d", "--file", str(file))
    assert entry.expires_at is not None
    remaining = entry.expires_at - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < remaining <= timedelta(days=30)
    assert read_entries(file) == [entry]
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    second_token, _ = minted(*args, "--file", str(file))
    assert [e.sha256 for e in read_entries(file)] == [
        digest_token(token),
        digest_token(second_token),
    ]


def test_list_shows_subject_role_centres_and_expiry_but_no_token_or_full_digest(
    tmp_path: Path,
) -> None:
    file = tmp_path / "tokens.json"
    token, entry = minted(
        "--subject", "officer-17", "--role", "officer", "--centre", "kota-mojokerto",
        "--expires", "2027-01-31", "--file", str(file),
    )  # fmt: skip
    result = plut("tokens", "list", "--file", str(file))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "officer-17" in out and "officer" in out and "kota-mojokerto" in out
    assert "2027-01-31 00:00 WIB" in out and "active" in out
    assert entry.sha256[:8] in out
    assert token not in out and entry.sha256 not in out and entry.sha256[:9] not in out


def test_list_marks_expired_tokens(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    past = datetime.now(UTC) - timedelta(hours=1)
    old = TokenEntry.for_token(
        "t", subject="old-1", role="viewer", centres=["batu"], expires_at=past
    )
    file.write_text(json.dumps([old.model_dump(mode="json")]), encoding="utf-8")
    assert "expired" in plut("tokens", "list", "--file", str(file)).stdout


def test_revoke_by_subject_or_id_removes_only_those_entries(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    for subject in ("officer-17", "officer-18", "viewer-3"):
        minted("--subject", subject, "--role", "viewer", "--centre", "batu", "--file", str(file))
    assert plut("tokens", "revoke", "officer-17", "--file", str(file)).exit_code == 0
    [_, viewer] = read_entries(file)
    result = plut("tokens", "revoke", viewer.sha256[:8], "--file", str(file))
    assert result.exit_code == 0 and "revoked 1 token(s)" in result.stdout
    assert [e.subject for e in read_entries(file)] == ["officer-18"]


def test_revoking_an_unknown_subject_or_without_a_file_is_one_line(tmp_path: Path) -> None:
    file = tmp_path / "tokens.json"
    minted("--subject", "officer-17", "--role", "viewer", "--centre", "batu", "--file", str(file))
    unknown = plut("tokens", "revoke", "nobody", "--file", str(file))
    assert unknown.exit_code == 1 and "no token of subject or id 'nobody'" in unknown.stderr
    no_file = plut("tokens", "revoke", "officer-17")
    assert no_file.exit_code == 1 and "pass --file or set PLUT_API_TOKENS_FILE" in no_file.stderr
    missing = plut("tokens", "list", "--file", str(tmp_path / "absent.json"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", NOW + timedelta(days=30)),
        ("12h", NOW + timedelta(hours=12)),
        ("45m", NOW + timedelta(minutes=45)),
        ("2027-01-31", datetime(2027, 1, 31, 0, 0, tzinfo=WIB)),
        ("2027-01-31T17:00", datetime(2027, 1, 31, 17, 0, tzinfo=WIB)),
        ("2027-01-31T17:00+00:00", datetime(2027, 1, 31, 17, 0, tzinfo=UTC)),
    ],
)
def test_expiry_forms(text: str, expected: datetime) -> None:
    assert parse_expiry(text, NOW) == expected


def test_an_unreadable_expiry_names_the_accepted_forms() -> None:
    result = plut("tokens", "new", "--subject", "a-1", "--role", "admin", "--centre", "*",
                  "--expires", "next week")  # fmt: skip
    assert result.exit_code == 1
    assert "use 30d, 12h, 45m, a date" in result.stderr
