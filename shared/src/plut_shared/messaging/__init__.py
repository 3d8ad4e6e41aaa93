"""The messaging kernel: topology, publishing, aggregate store, outbox relay, consumers, parking."""

from plut_shared.messaging.aggregates import Aggregates, AggregateStore, Cause, Mapper
from plut_shared.messaging.consumer import EventConsumer, Handler, RetryPolicy
from plut_shared.messaging.errors import InvalidMessage, TransientFailure
from plut_shared.messaging.idempotency import apply_once
from plut_shared.messaging.memory import InMemoryAggregateStore
from plut_shared.messaging.outbox import create_aggregate_indexes
from plut_shared.messaging.publisher import EventPublisher, PublishFailed
from plut_shared.messaging.relay import OutboxRelay
from plut_shared.messaging.runtime import MessagingRuntime, topology_from_settings
from plut_shared.messaging.topology import ConsumerQueue, ServiceTopology
from plut_shared.messaging.writes import AggregateExists, ConcurrentUpdate, DuplicateKey

__all__ = [
    "AggregateExists",
    "AggregateStore",
    "Aggregates",
    "Cause",
    "ConcurrentUpdate",
    "ConsumerQueue",
    "DuplicateKey",
    "EventConsumer",
    "EventPublisher",
    "Handler",
    "InMemoryAggregateStore",
    "InvalidMessage",
    "Mapper",
    "MessagingRuntime",
    "OutboxRelay",
    "PublishFailed",
    "RetryPolicy",
    "ServiceTopology",
    "TransientFailure",
    "apply_once",
    "create_aggregate_indexes",
    "topology_from_settings",
]
