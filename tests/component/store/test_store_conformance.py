"""The store conformance check, against the real local store (README, "Store conformance check")."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from plut_shared.store_check import CHECKS, Check, Outcome, Scratch, main, run_checks
from pymongo import AsyncMongoClient, MongoClient

from tests.support.containers import Endpoints
from tests.support.plut import plut_async
from tests.support.private_store import PrivateStore, free_port


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
async def test_the_store_keeps_each_guarantee_the_platform_relies_on(
    infra: Endpoints, mongo_client: AsyncMongoClient, check: Check
) -> None:
    [result] = await run_checks(infra.mongo_url, [check])
    assert result.outcome.passed, result.line()


def test_the_command_passes_every_check_against_the_store_and_drops_its_scratch_database(
    infra: Endpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    used: list[str] = []

    async def note_database(scratch: Scratch) -> Outcome:
        used.append(scratch.database)
        await scratch.collection("probe").insert_one({"_id": 1})
        return Outcome(True, "wrote one document")

    status = main([infra.mongo_url], [*CHECKS, Check("scratch database", note_database)])

    output = capsys.readouterr().out
    assert status == 0, output
    assert f"{len(CHECKS) + 1} of {len(CHECKS) + 1} checks passed" in output
    assert "200 concurrent $inc from 20 clients -> 200" in output
    with MongoClient(infra.mongo_url) as client:
        assert used[0] not in client.list_database_names()


def test_the_command_exits_non_zero_and_names_each_failing_check(
    infra: Endpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    async def lost_update(scratch: Scratch) -> Outcome:
        return Outcome(False, "200 concurrent $inc from 20 clients -> 14")

    async def broken(scratch: Scratch) -> Outcome:
        raise ValueError("unsupported operator")

    checks = [CHECKS[0], Check("lost updates", lost_update), Check("raises", broken)]
    status = main([infra.mongo_url], checks)

    output = capsys.readouterr().out
    assert status == 1
    assert f"PASS  {CHECKS[0].name}:" in output
    assert "FAIL  lost updates: 200 concurrent $inc from 20 clients -> 14" in output
    assert "FAIL  raises: ValueError: unsupported operator" in output
    assert "1 of 3 checks passed" in output
    assert "failing: lost updates; raises" in output


def test_the_command_exits_non_zero_naming_a_store_that_does_not_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"mongodb://127.0.0.1:{free_port()}/"

    status = main([url])

    assert status == 2
    assert f"FAIL  store at {url} did not answer" in capsys.readouterr().out


def test_a_graceful_restart_of_the_store_keeps_every_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with PrivateStore(tmp_path) as store:
        assert main([store.url, "--write-restart-marker"]) == 0
        store.stop(signal.SIGTERM)
        store.start()

        assert main([store.url, "--verify-restart-marker"]) == 0
        assert "PASS  data kept across a graceful restart: 1000 of 1000 documents" in (
            capsys.readouterr().out
        )
        # Verifying drops the marker, so a second verification has nothing to find.
        assert main([store.url, "--verify-restart-marker"]) == 1
        assert "no marker" in capsys.readouterr().out


async def test_plut_store_check_runs_every_check_against_the_store(infra) -> None:
    result = await plut_async("store-check", infra.mongo_url)
    assert result.exit_code == 0, result.output
    assert "11 of 11 checks passed" in result.output
