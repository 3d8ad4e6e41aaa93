"""`plut parked` against a real parked message on the real broker."""

from __future__ import annotations

import json
from collections.abc import Callable

from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import CounterService
from tests.support.plut import plut_async
from tests.support.waiting import eventually


async def test_an_operator_lists_shows_replays_and_purges_a_parked_message(
    start_service: Callable,
    testkit_url: str,
) -> None:
    amqp_url = testkit_url  # an operator replays with the service's own broker user
    service: CounterService = await start_service()
    envelope = await service.increment("cli", 1, amount=-1)
    name = service.messaging.service
    env = {"PLUT_AMQP_URL": amqp_url}
    lot = ParkingLot(amqp_url, name)
    await eventually(lot.list, lambda items: len(items) == 1)

    listed = await plut_async("parked", "list", "--service", name, env=env)
    assert listed.exit_code == 0, listed.stderr
    assert envelope.event_id in listed.stdout
    assert "invalid" in listed.stdout and "testkit.counter.incremented" in listed.stdout

    shown = await plut_async("parked", "show", envelope.event_id, "--service", name, env=env)
    assert json.loads(shown.stdout)["body"]["payload"]["amount"] == -1

    replayed = await plut_async("parked", "replay", envelope.event_id, "--service", name, env=env)
    assert replayed.exit_code == 0 and "replayed" in replayed.stdout
    # Still invalid, so the replayed message is handled again and parked again, once.
    await eventually(_calls(service), lambda calls: calls == 2)
    [again] = await eventually(lot.list, lambda items: len(items) == 1)
    assert again.message_id == envelope.event_id

    purged = await plut_async("parked", "purge", envelope.event_id, "--service", name, env=env)
    assert purged.exit_code == 0 and "purged 1" in purged.stdout
    assert await lot.list() == []
    missing = await plut_async("parked", "show", envelope.event_id, "--service", name, env=env)
    assert missing.exit_code == 1 and "no parked message" in missing.stderr


def _calls(service: CounterService) -> Callable:
    async def probe() -> int:
        return service.behaviour.calls

    return probe
