"""`plut import` follows the import job with a progress bar, then shows the rejected rows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from plut_cli import importing
from rich.console import Console

from tests.support.plut import plut


def _job(state: str, rows: int, done: int, created: int, rejected: int, **more: Any) -> dict:
    return {
        "import_id": "i1",
        "state": state,
        "error": None,
        "rows": rows,
        "rows_done": done,
        "created": created,
        "rejected": rejected,
        "empty_rows": 0,
        "job_url": "/imports/i1",
        "rows_url": "/imports/i1/rows",
    } | more


def _service(jobs: list[dict], rows: list[dict]) -> tuple[httpx.Client, list[str]]:
    """A registration service that answers the upload, then `jobs` in turn, and `rows`."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(202, json=_job("queued", 0, 0, 0, 0))
        if request.url.path.endswith("/rows"):
            return httpx.Response(200, json={"items": rows, "total": len(rows)})
        return httpx.Response(200, json=jobs.pop(0))

    return httpx.Client(transport=httpx.MockTransport(answer), base_url="http://reg"), asked


def test_the_bar_follows_the_job_until_it_is_done():
    http, asked = _service([_job("running", 4, 2, 2, 0), _job("done", 4, 4, 3, 1)], [])
    out = Console(file=io.StringIO(), force_terminal=True, width=120, record=True)

    job = importing.follow(http, _job("queued", 0, 0, 0, 0), out, pause=lambda _: None)

    assert job["state"] == "done"
    assert asked == ["GET /imports/i1", "GET /imports/i1"]
    shown = out.export_text()
    assert "done" in shown and "4/4" in shown and "created 3, rejected 1" in shown


def test_a_failed_job_shows_its_rejections_then_ends_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    reason = "the import was interrupted because the service stopped; import the same file again"
    rejected = {"row": 2, "umkm_id": None, "errors": [{"field": "nik", "error": "bad NIK"}]}
    http, _ = _service([_job("failed", 9, 5, 4, 1, error=reason)], [rejected])
    monkeypatch.setattr(importing, "client", lambda base_url, token: http)
    upload = tmp_path / "umkm.csv"
    upload.write_text("owner_name\nx\n")

    result = plut("import", str(upload), "--centre", "batu", "--url", "http://reg", "--token", "t")

    assert result.exit_code == 1
    assert "rows read 9, created 4, rejected 1" in result.stdout
    assert "bad NIK" in result.stdout
    assert result.stderr.strip() == f"plut: error: import i1 failed: {reason}"
