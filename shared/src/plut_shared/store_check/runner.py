"""Runs named checks against a store, each in a scratch database dropped afterwards."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

CHECK_TIMEOUT_S = 120.0
SCRATCH_PREFIX = "plut_store_check_"


@dataclass(frozen=True)
class Outcome:
    """Whether a guarantee held, and the figure that shows it."""

    passed: bool
    figure: str


@dataclass(frozen=True)
class Scratch:
    """Where a check may write: its own database on the store under test."""

    url: str
    client: AsyncMongoClient
    database: str

    def collection(self, name: str) -> AsyncCollection:
        return self.client[self.database][name]


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Scratch], Awaitable[Outcome]]


@dataclass(frozen=True)
class CheckResult:
    name: str
    outcome: Outcome

    def line(self) -> str:
        verdict = "PASS" if self.outcome.passed else "FAIL"
        return f"{verdict}  {self.name}: {self.outcome.figure}"


class StoreUnreachable(RuntimeError):
    pass


def redact(url: str) -> str:
    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@") if password else url


def connect(url: str, pool_size: int = 100) -> AsyncMongoClient:
    return AsyncMongoClient(url, serverSelectionTimeoutMS=5000, maxPoolSize=pool_size)


async def ping(client: AsyncMongoClient, url: str) -> None:
    try:
        await client.admin.command("ping")
    except Exception as error:
        raise StoreUnreachable(
            f"store at {redact(url)} did not answer ({type(error).__name__})"
        ) from error


async def run_one(scratch: Scratch, check: Check) -> CheckResult:
    """A check that raises or times out has failed, with the error as its figure."""
    try:
        outcome = await asyncio.wait_for(check.run(scratch), CHECK_TIMEOUT_S)
    except TimeoutError:
        outcome = Outcome(False, f"no answer within {CHECK_TIMEOUT_S:.0f} s")
    except Exception as error:
        outcome = Outcome(False, f"{type(error).__name__}: {error}")
    return CheckResult(check.name, outcome)


async def run_checks(
    url: str,
    checks: Sequence[Check],
    report: Callable[[CheckResult], None] = lambda result: None,
) -> list[CheckResult]:
    """Runs every check in order; `report` sees each result as soon as it is known."""
    client = connect(url)
    database = f"{SCRATCH_PREFIX}{uuid.uuid4().hex[:12]}"
    results: list[CheckResult] = []
    try:
        await ping(client, url)
    except StoreUnreachable:
        await client.close()
        raise
    try:
        for check in checks:
            result = await run_one(Scratch(url, client, database), check)
            report(result)
            results.append(result)
    finally:
        try:
            await client.drop_database(database)
        finally:
            await client.close()
    return results
