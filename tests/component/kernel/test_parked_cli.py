"""The operator command lists, shows and replays parked messages."""

from __future__ import annotations

import json
from collections.abc import Callable

from plut_shared.messaging.parked_cli import build_parser, run
from plut_shared.messaging.parking import ParkingLot

from tests.support.counter_service import CounterService
from tests.support.waiting import eventually


async def test_an_operator_lists_shows_and_replays_a_parked_message(
    start_service: Callable, testkit_url: str, capsys
) -> None:
    amqp_url = testkit_url  # an operator replays with the service's own broker user
    service: CounterService = await start_service()
    envelope = await service.increment("cli", 1, amount=-1)
    name = service.messaging.service
    lot = ParkingLot(amqp_url, name)
    await eventually(lot.list, lambda items: len(items) == 1)

    assert await command(amqp_url, "list", "--service", name) == 0
    listed = json.loads(capsys.readouterr().out.strip())
    assert listed["message_id"] == envelope.event_id
    assert listed["reason"] == "invalid"

    assert await command(amqp_url, "show", envelope.event_id, "--service", name) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["body"]["payload"]["amount"] == -1

    assert await command(amqp_url, "replay", envelope.event_id, "--service", name) == 0
    assert "replayed" in capsys.readouterr().out
    # Still invalid, so the replayed message is parked again, once.
    await eventually(lambda: _calls(service), lambda calls: calls == 2)
    [again] = await eventually(lot.list, lambda items: len(items) == 1)
    assert again.message_id == envelope.event_id


async def command(amqp_url: str, *argv: str) -> int:
    return await run(build_parser().parse_args(argv), amqp_url)


async def _calls(service: CounterService) -> int:
    return service.behaviour.calls
