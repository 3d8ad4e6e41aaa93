"""One chaos run: registrations flow while faults strike at random moments, then a tally.

Faults fire at random points of the load's progress (a share of the
registrations answered), so each one lands while requests are in flight
whatever the machine's speed. A killed service is started again at once, as
a supervisor would; restarts of the broker node and the store are graceful.
After the load, the run waits until nothing is in motion (outbox empty, queues
empty, no message waiting to be sent, the sink quiet) or its bound passes, then
reads every part and counts.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.chaos.imports import import_all
from tests.support.chaos.observed import Observed, in_motion, observe, sink_counts
from tests.support.chaos.platform import ChaosPlatform
from tests.support.chaos.tally import Tally, tally
from tests.support.chaos.workload import Outcome, Registrar

KILL_REGISTRATION = "kill registration"
KILL_NOTIFICATIONS = "kill notifications"
RESTART_BROKER = "restart broker"
RESTART_STORE = "restart store"


@dataclass
class FaultRecord:
    action: str
    progress: float  # share of registrations answered when it fired
    at_s: float  # seconds since the load started
    took_s: float = 0.0  # until the part answered again


@dataclass
class ChaosResult:
    tally: Tally
    faults: list[FaultRecord]
    load_s: float
    settle_s: float
    settled: bool
    outcomes: list[Outcome] = field(default_factory=list)


def schedule(actions: list[str], rng: random.Random, span=(0.05, 0.9)) -> list[tuple[float, str]]:
    """Each action at a random share of the load's progress, in order of that share."""
    return sorted((rng.uniform(*span), action) for action in actions)


class ChaosRun:
    def __init__(self, platform: ChaosPlatform, concurrency: int, settle_timeout_s: float):
        self.platform = platform
        self.concurrency = concurrency
        self.settle_timeout_s = settle_timeout_s
        self.registrar = Registrar(
            platform.services["registration"].url, platform.token, concurrency, 900.0
        )

    async def run(
        self,
        bodies: list[dict[str, Any]],
        plan: list[tuple[float, str]],
        import_rows: list[dict[str, Any]] | None = None,
    ) -> ChaosResult:
        """`bodies` go to `POST /enterprises`, `import_rows` through the bulk import."""
        started = time.monotonic()
        load = asyncio.create_task(self._load(bodies, import_rows or []))
        total = len(bodies) + len(import_rows or [])
        faults = await self._strike(plan, total, started, load)
        outcomes = await load
        load_s = time.monotonic() - started
        settled, settle_s = await self._settle()
        seen = await observe(self.platform)
        return ChaosResult(tally(outcomes, seen), faults, load_s, settle_s, settled, outcomes)

    async def _load(
        self, bodies: list[dict[str, Any]], import_rows: list[dict[str, Any]]
    ) -> list[Outcome]:
        direct, imported = await asyncio.gather(
            self.registrar.register_all(bodies), import_all(self.registrar, import_rows)
        )
        return direct + imported

    async def _strike(
        self, plan: list[tuple[float, str]], total: int, started: float, load: asyncio.Task
    ) -> list[FaultRecord]:
        done: list[FaultRecord] = []
        for share, action in plan:
            while self.registrar.answered < share * total and not load.done():
                await asyncio.sleep(0.05)
            record = FaultRecord(
                action, self.registrar.answered / total, time.monotonic() - started
            )
            began = time.monotonic()
            await asyncio.to_thread(self._action(action))
            record.took_s = time.monotonic() - began
            done.append(record)
            took = f"took {record.took_s:.1f} s"
            print(f"[chaos] {record.at_s:7.1f} s  {action} ({took})", flush=True)
        return done

    def _action(self, action: str) -> Callable[[], None]:
        services = self.platform.services

        def kill_and_start(name: str) -> Callable[[], None]:
            def action() -> None:
                services[name].kill()
                services[name].start()

            return action

        return {
            KILL_REGISTRATION: kill_and_start("registration"),
            KILL_NOTIFICATIONS: kill_and_start("notifications"),
            RESTART_BROKER: self.platform.broker.restart,
            RESTART_STORE: self.platform.restart_store,
        }[action]

    async def _settle(self, interval: float = 2.0, quiet_polls: int = 3) -> tuple[bool, float]:
        """Wait until nothing moves for `quiet_polls` polls in a row (or the bound passes)."""
        started, calm, last = time.monotonic(), 0, -1
        while time.monotonic() - started < self.settle_timeout_s:
            await asyncio.sleep(interval)
            moving = await in_motion(self.platform)
            delivered = self._delivered()
            still = not any(moving.values()) and delivered == last
            calm, last = (calm + 1 if still else 0), delivered
            if calm >= quiet_polls:
                return True, time.monotonic() - started
        return False, time.monotonic() - started

    def _delivered(self) -> int:
        seen = Observed()
        sink_counts(self.platform.sink, seen)
        return sum(seen.delivered.values())
