"""Watch events on `plut.events` from a test: a private queue bound to chosen patterns.

    async with EventProbe(amqp_url, ["registration.umkm.#"]) as probe:
        ...  # act
        await probe.wait_for(lambda e: e.subject_id == umkm_id)

Start it after the service under test has declared its topology (the exchange
must exist to bind to). The queue is exclusive and auto-deleted with the
connection, so probes of concurrent tests never steal each other's messages.

`received` keeps every delivery; `matching` and `wait_for` give each event
once. Delivery is at least once (a relay whose lease ran out under load may
publish an event again), and subscribers tell the copies by event id, so a
test that counts events counts distinct ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from plut_shared.contracts import Envelope

from tests.support.waiting import eventually

EVENTS_EXCHANGE = "plut.events"


class EventProbe:
    def __init__(self, amqp_url: str, patterns: Sequence[str]) -> None:
        self.amqp_url = amqp_url
        self.patterns = tuple(patterns)
        self.received: list[Envelope] = []
        self.headers: dict[str, dict] = {}  # event id -> the AMQP headers it came with
        self._connection: AbstractRobustConnection | None = None

    async def __aenter__(self) -> EventProbe:
        self._connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self._connection.channel()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for pattern in self.patterns:
            await queue.bind(EVENTS_EXCHANGE, routing_key=pattern)
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        envelope = Envelope.model_validate_json(message.body)
        self.headers[envelope.event_id] = dict(message.headers)
        self.received.append(envelope)

    def matching(self, accept: Callable[[Envelope], bool]) -> list[Envelope]:
        """Accepted events in order of arrival, each event id once."""
        distinct: dict[str, Envelope] = {}
        for envelope in self.received:
            distinct.setdefault(envelope.event_id, envelope)
        return [envelope for envelope in distinct.values() if accept(envelope)]

    async def wait_for(
        self, accept: Callable[[Envelope], bool], *, count: int = 1, timeout: float = 20.0
    ) -> list[Envelope]:
        """At least `count` distinct matching events, waiting up to `timeout` seconds."""

        async def probe() -> list[Envelope]:
            return self.matching(accept)

        return await eventually(probe, lambda found: len(found) >= count, timeout=timeout)
