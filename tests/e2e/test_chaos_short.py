"""The short chaos run: 1,000 registrations, each service SIGKILLed once, the broker restarted.

Everything is private to the test (see `tests.support.chaos.platform`): a
RabbitMQ node of its own, a store of its own, a provider sink, and the two
services as uvicorn processes, so the restart and the kills disturb no other
test. Faults strike at random points of the load (the seed is printed, to
replay a failure with `bench/chaos.py --seed`); the test waits for the platform
to come to rest with a generous bound, never for a fixed time, and asserts what
the owners would see: every accepted registration welcomed, none twice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from tests.support.chaos.bodies import body, rows
from tests.support.chaos.platform import ChaosPlatform, ChaosSettings
from tests.support.chaos.report import render
from tests.support.chaos.run import (
    KILL_NOTIFICATIONS,
    KILL_REGISTRATION,
    RESTART_BROKER,
    ChaosRun,
    schedule,
)

REGISTRATIONS = 1000
# Shorter sweeps and leases than production: what a crash left is picked up in
# seconds rather than the production half-minute, so the run comes to rest sooner.
QUICK_RECOVERY = ChaosSettings(
    registration={"relay_sweep_interval_s": "2", "relay_lease_s": "5"},
    notifications={
        "relay_sweep_interval_s": "2",
        "relay_lease_s": "5",
        "send_lease_s": "15",
        "dispatch_poll_interval_s": "1",
    },
)


@pytest.fixture
def chaos_platform() -> Iterator[ChaosPlatform]:
    # The context manager stops the broker node, the store and the services and
    # removes their directory, whatever the test did.
    with ChaosPlatform(QUICK_RECOVERY) as platform:
        yield platform


@pytest.mark.timeout(600)
async def test_no_registration_is_lost_or_welcomed_twice_through_kills_and_a_broker_restart(
    chaos_platform: ChaosPlatform,
):
    seed = random.randrange(1_000_000)
    print(f"chaos seed {seed}")
    plan = schedule([KILL_REGISTRATION, KILL_NOTIFICATIONS, RESTART_BROKER], random.Random(seed))
    bodies = [body(row) for row in rows(REGISTRATIONS, seed)]
    run = ChaosRun(chaos_platform, concurrency=16, settle_timeout_s=240)

    result = await run.run(bodies, plan)

    figures = render(result)
    print(figures)
    assert [fault.action for fault in result.faults] == [action for _, action in plan], figures
    assert result.settled, figures
    assert result.tally.accepted == REGISTRATIONS, figures
    assert result.tally.lost_total == 0, figures
    assert result.tally.duplicated_owner_visible == 0, figures
    assert result.tally.welcomes_delivered == REGISTRATIONS, figures
    assert chaos_platform.services["registration"].kills == 1
    assert chaos_platform.services["notifications"].kills == 1
