"""A counter service process that tests kill with SIGKILL at a chosen moment.

    python -m tests.support.crash_child hang-before-publish SERVICE DATABASE COUNTER
    python -m tests.support.crash_child die-after-effect SERVICE DATABASE

    python -m tests.support.crash_child replica SERVICE DATABASE WRITES COUNTERS...

It prints READY once it reached the moment, then the test kills it. A replica
runs a whole counter service (relay and consumer), bumps the given counters
WRITES times in all, prints DONE, and serves until it is terminated.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from plut_shared.contracts import Envelope
from plut_shared.messaging import Cause

from tests.support.counter_service import Behaviour, CounterService, settings_for


async def spawn(
    amqp_url: str, user_prefix: str, mongo_url: str, *args: str, ready_timeout: float = 60
) -> asyncio.subprocess.Process:
    """Start this module as a child process with `args`; returns once it printed READY."""
    env = {
        **os.environ,
        "PLUT_AMQP_URL": amqp_url,
        "PLUT_MONGO_URL": mongo_url,
        "PLUT_BROKER_USER_PREFIX": user_prefix,
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.crash_child",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    line = await asyncio.wait_for(child.stdout.readline(), timeout=ready_timeout)
    assert line.strip() == b"READY"
    return child


def _settings():
    # PLUT_BROKER_USER_PREFIX comes from the environment too (the settings' default).
    return settings_for(os.environ["PLUT_AMQP_URL"], os.environ["PLUT_MONGO_URL"])


async def hang_before_publish(service_name: str, database: str, counter_id: str) -> None:
    service = CounterService(service_name, _settings(), database)

    async def never_confirm(envelope: Envelope) -> None:
        print("READY", flush=True)  # the state and its event are written; publishing starts
        await asyncio.Event().wait()

    service.messaging.publisher.publish_event = never_confirm  # type: ignore[method-assign]
    await service.start()
    await service.increment(counter_id, 1, amount=9)
    await asyncio.Event().wait()


async def die_after_effect(service_name: str, database: str) -> None:
    async def die(envelope: Envelope) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # the effect is written; the ack never is

    service = CounterService(service_name, _settings(), database, Behaviour())
    service.behaviour.after_effect = die
    await service.start(relay=False)
    print("READY", flush=True)
    await asyncio.Event().wait()


async def replica(service_name: str, database: str, writes: str, *counter_ids: str) -> None:
    service = CounterService(service_name, _settings(), database)
    await service.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("READY", flush=True)
    gate = asyncio.Semaphore(8)
    cause = Cause("corr-replica")

    async def bump(n: int) -> None:
        async with gate:
            counter_id = counter_ids[n % len(counter_ids)]
            _, events = await service.counters.change_with_events(
                counter_id, lambda counter: counter.bump(), cause
            )
            if not events:  # the counter exists: a bump always records its event
                raise RuntimeError(f"bump of {counter_id} wrote nothing")

    await asyncio.gather(*(bump(n) for n in range(int(writes))))
    print("DONE", flush=True)
    await stop.wait()
    await service.stop()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    runner = {
        "hang-before-publish": hang_before_publish,
        "die-after-effect": die_after_effect,
        "replica": replica,
    }
    asyncio.run(runner[mode](*args))
