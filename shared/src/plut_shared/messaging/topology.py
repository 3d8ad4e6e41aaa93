"""The broker topology, defined once per service and declared idempotently at start-up.

Names (README, "Architecture"):
- `plut.events`: durable topic exchange for internal events, routing key = event type.
  Its alternate exchange `plut.events.unrouted` keeps events no service subscribes
  to yet, so a mandatory publish fails only when the topology itself is broken.
  These shared parts are declared when the broker is provisioned
  (`provisioning.py`); services only check that they exist, so no service needs
  the right to change or delete them.
- `<service>.internal`: direct exchange only the service's own broker user may
  write to; each of the service's queues is bound to it under its own name. The
  retry path, the parking lot, the TTL queues' and the delivery limit's
  dead-lettering all go through it, never through the default exchange (which
  no service may write to, so no other user can put a message on these queues).
- `<service>.<purpose>`: quorum queue per consumer, with a delivery limit,
  at-least-once dead-lettering into the service's parking lot, and a single
  active consumer among the service's replicas (so each subject's events are
  applied in order).
- `<service>.<purpose>.retry.<n>`: one TTL queue per delay tier; expired messages
  dead-letter back to the consumer queue.
- `<service>.parking`: parking lot, read by operators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aio_pika import ExchangeType
from aio_pika.abc import AbstractRobustChannel

EVENTS_EXCHANGE = "plut.events"
UNROUTED_EXCHANGE = "plut.events.unrouted"
UNROUTED_QUEUE = "plut.unrouted"
UNROUTED_QUEUE_ARGUMENTS = {"x-queue-type": "quorum", "x-max-length": 100_000}


class TopologyMissing(RuntimeError):
    """The shared exchanges are not there: the broker was not provisioned."""


@dataclass(frozen=True)
class ConsumerQueue:
    """One queue of a service: its purpose and the routing keys (topic patterns) it binds
    on `exchange` (the internal events; financing's partner replies come on their own)."""

    purpose: str
    bindings: tuple[str, ...]
    exchange: str = EVENTS_EXCHANGE


@dataclass(frozen=True)
class ServiceTopology:
    service: str
    queues: tuple[ConsumerQueue, ...] = ()
    retry_delays_ms: tuple[int, ...] = (5_000, 30_000, 300_000)
    delivery_limit: int = 5
    max_queue_length: int = 1_000_000
    extra_queue_arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def parking_queue(self) -> str:
        return f"{self.service}.parking"

    @property
    def internal_exchange(self) -> str:
        return f"{self.service}.internal"

    def queue_name(self, purpose: str) -> str:
        return f"{self.service}.{purpose}"

    def retry_queue_name(self, purpose: str, tier: int) -> str:
        return f"{self.queue_name(purpose)}.retry.{tier}"

    def consumer_arguments(self) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.internal_exchange,
            "x-dead-letter-routing-key": self.parking_queue,
            "x-dead-letter-strategy": "at-least-once",
            # at-least-once dead-lettering needs reject-publish: a full queue
            # refuses new messages (the publisher sees a nack) instead of dropping.
            "x-overflow": "reject-publish",
            "x-max-length": self.max_queue_length,
            # Replicas of a service are competing relays and writers, but one of them
            # consumes a queue at a time (the others take over if it goes): with
            # competing consumers, two events of one subject could be applied by two
            # processes in the wrong order. Within the active one, subjects run
            # concurrently and each subject's events in delivery order.
            "x-single-active-consumer": True,
            **self.extra_queue_arguments,
        }

    def retry_arguments(self, purpose: str, delay_ms: int) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": self.internal_exchange,
            "x-dead-letter-routing-key": self.queue_name(purpose),
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }


async def check_shared(channel: AbstractRobustChannel, exchange: str = EVENTS_EXCHANGE) -> None:
    """Passive declarations: they need no permission and change nothing."""
    try:
        await channel.declare_exchange(exchange, ExchangeType.TOPIC, passive=True)
    except Exception as error:
        raise TopologyMissing(
            f"exchange {exchange} is missing or not accessible ({error}); provision "
            "the broker first (`scripts/infra.py up`, or the compose `broker-setup` step)"
        ) from error


async def declare_service(channel: AbstractRobustChannel, topology: ServiceTopology) -> None:
    await check_shared(channel)
    for exchange in {consumer.exchange for consumer in topology.queues}:
        await check_shared(channel, exchange)
    internal = await channel.declare_exchange(
        topology.internal_exchange, ExchangeType.DIRECT, durable=True
    )
    parking = await channel.declare_queue(
        topology.parking_queue, durable=True, arguments={"x-queue-type": "quorum"}
    )
    await parking.bind(internal, routing_key=topology.parking_queue)
    for consumer in topology.queues:
        name = topology.queue_name(consumer.purpose)
        queue = await channel.declare_queue(
            name, durable=True, arguments=topology.consumer_arguments()
        )
        await queue.bind(internal, routing_key=name)
        source = await channel.get_exchange(consumer.exchange, ensure=False)
        for pattern in consumer.bindings:
            await queue.bind(source, routing_key=pattern)
        for tier, delay in enumerate(topology.retry_delays_ms):
            retry_name = topology.retry_queue_name(consumer.purpose, tier)
            retry = await channel.declare_queue(
                retry_name,
                durable=True,
                arguments=topology.retry_arguments(consumer.purpose, delay),
            )
            await retry.bind(internal, routing_key=retry_name)
