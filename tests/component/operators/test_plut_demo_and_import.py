"""`plut demo load` and `plut import` against registration served over real HTTP."""

from __future__ import annotations

from pathlib import Path

from tests.component.operators.conftest import ADMIN_TOKEN
from tests.component.registration.examples import fresh_identity
from tests.support.plut import plut_async


def _counts(stdout: str, centre: str) -> tuple[int, int]:
    line = next(line for line in stdout.splitlines() if f" {centre} " in line)
    created, already = [int(cell) for cell in line.replace("│", " ").split()[1:3]]
    return created, already


async def test_demo_load_twice_creates_everything_once(registration_url: str) -> None:
    first = await plut_async("demo", "load", "--url", registration_url, "--token", ADMIN_TOKEN)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert _counts(first.stdout, "kota-mojokerto") == (35, 0)
    assert _counts(first.stdout, "malang") == (3, 0)

    second = await plut_async("demo", "load", "--url", registration_url, "--token", ADMIN_TOKEN)
    assert second.exit_code == 0, second.stdout + second.stderr
    for centre in ("kota-mojokerto", "pacitan", "tulungagung", "malang", "jember", "batu"):
        created, already = _counts(second.stdout, centre)
        assert created == 0 and already > 0, centre
    assert _counts(second.stdout, "kota-mojokerto") == (0, 35)


async def test_demo_load_with_a_bad_token_stops_in_one_line(registration_url: str) -> None:
    result = await plut_async("demo", "load", "--url", registration_url, "--token", "wrong")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "plut: error: POST /enterprises answered 401: unknown bearer token "
        "(check --token or PLUT_API_TOKEN)"
    ]


HEADER = (
    "owner_name,nik,phone,business_name,nib,sector,regency_city,district,capital,preferred_channel"
)


def _row(name: str, **changes: str) -> str:
    ids = fresh_identity() | changes
    return (
        f"{name},{ids['nik']},{ids['phone']},UD {name},{ids['nib']},alas kaki,"
        "Kota Mojokerto,Magersari,150000000,whatsapp"
    )


async def test_import_shows_the_counts_and_each_rejected_field_with_its_reason(
    registration_url: str, tmp_path: Path
) -> None:
    upload = tmp_path / "umkm.csv"
    rows = [_row("Dewi Astuti"), _row("Budi Santoso", nik="12345"), _row("Sri Wahyuni")]
    upload.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = await plut_async(
        "import", str(upload), "--centre", "kota-mojokerto",
        "--url", registration_url, "--token", ADMIN_TOKEN,
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "rows read 3, created 2, rejected 1" in result.stdout
    rejected = next(line for line in result.stdout.splitlines() if "│ 3 " in line)
    assert "nik" in rejected and "NIK must have 16 digits, got 5" in rejected
    assert "done" in result.stdout  # the progress bar's last state
    assert "3/3" in result.stdout  # rows done of rows read


async def test_importing_the_same_file_again_shows_every_row_as_already_registered(
    registration_url: str, tmp_path: Path
) -> None:
    upload = tmp_path / "umkm.csv"
    upload.write_text("\n".join([HEADER, _row("Dewi Astuti"), _row("Sri Wahyuni")]) + "\n")
    args = ("import", str(upload), "--centre", "kota-mojokerto")
    target = ("--url", registration_url, "--token", ADMIN_TOKEN)
    first = await plut_async(*args, *target)

    again = await plut_async(*args, *target)

    assert first.exit_code == 0 and again.exit_code == 0, again.stdout + again.stderr
    assert "rows read 2, created 0, rejected 2" in again.stdout
    already = [line for line in again.stdout.splitlines() if "already registered as" in line]
    assert len(already) == 2
