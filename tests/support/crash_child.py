"""A counter service process that tests kill with SIGKILL at a chosen moment.

    python -m tests.support.crash_child hang-before-publish SERVICE DATABASE COUNTER
    python -m tests.support.crash_child die-after-effect SERVICE DATABASE

It prints READY once it reached the moment, then the test kills it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from plut_shared.contracts import Envelope

from tests.support.counter_service import Behaviour, CounterService, settings_for


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


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    runner = {"hang-before-publish": hang_before_publish, "die-after-effect": die_after_effect}
    asyncio.run(runner[mode](*args))
