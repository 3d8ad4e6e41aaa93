"""The `plut` command: help on every level, and expected errors in one line."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from plut_cli.app import app
from typer.testing import Result

from tests.support.notification_sinks import free_port
from tests.support.plut import plut


def command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, sub in getattr(group, "commands", {}).items():
        paths += command_paths(sub, (*prefix, name))
    return paths


ALL_PATHS = command_paths(typer.main.get_command(app))


def test_the_command_tree_has_every_operator_task() -> None:
    names = {" ".join(path) for path in ALL_PATHS}
    expected = {
        "status",
        "import",
        "sinks",
        "store-check",
        "demo load",
        "tokens new",
        "tokens list",
    }
    expected |= {"tokens revoke", "parked list", "parked show", "parked replay", "parked purge"}
    assert expected <= names


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: " ".join(p) or "plut")
def test_help_works_on_every_level(path: tuple[str, ...]) -> None:
    result = plut(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: plut" in result.output
    assert "Traceback" not in result.output


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("plut: error: ")
    return lines[0]


def test_a_missing_import_file_is_one_line() -> None:
    line = one_line_error(plut("import", "no-such.csv", "--centre", "malang", "--token", "t"))
    assert "no such file: no-such.csv" in line


def test_an_unreachable_service_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    line = one_line_error(plut("demo", "load", "--url", url, "--token", "t"))
    assert "cannot reach 127.0.0.1" in line


def test_a_missing_token_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLUT_API_TOKEN", raising=False)
    line = one_line_error(plut("demo", "load"))
    assert "no API token: pass --token or set PLUT_API_TOKEN" in line


def test_an_unreachable_broker_is_one_line() -> None:
    env = {"PLUT_AMQP_URL": f"amqp://guest:secret-pw@127.0.0.1:{free_port()}/"}
    line = one_line_error(plut("parked", "list", "--service", "notifications", env=env))
    assert "cannot reach the broker" in line
    assert "secret-pw" not in line


def test_purge_without_an_id_asks_for_all() -> None:
    line = one_line_error(plut("parked", "purge", "--service", "notifications"))
    assert "--all" in line


def test_without_a_broker_url_plut_looks_at_the_platforms_local_vhost(monkeypatch) -> None:
    from plut_cli.config import Infrastructure

    monkeypatch.delenv("PLUT_AMQP_URL", raising=False)
    monkeypatch.delenv("PLUT_BROKER_VHOST", raising=False)
    assert Infrastructure.from_env().vhost == "plut"  # what `scripts/infra.py up` provisions
    monkeypatch.setenv("PLUT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/other")
    assert Infrastructure.from_env().vhost == "other"
