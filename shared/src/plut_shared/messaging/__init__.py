"""The messaging kernel: topology, publishing, outbox relay, consumers, parking lot."""

from plut_shared.messaging.aggregates import AggregateWriter, ConcurrentUpdate
from plut_shared.messaging.consumer import EventConsumer, Handler, RetryPolicy
from plut_shared.messaging.errors import InvalidMessage, TransientFailure
from plut_shared.messaging.idempotency import apply_once
from plut_shared.messaging.locks import DocumentLocks
from plut_shared.messaging.outbox import (
    create_outbox_indexes,
    new_document_with_outbox,
    update_with_outbox,
)
from plut_shared.messaging.publisher import EventPublisher, PublishFailed
from plut_shared.messaging.relay import OutboxRelay
from plut_shared.messaging.runtime import MessagingRuntime, topology_from_settings
from plut_shared.messaging.topology import ConsumerQueue, ServiceTopology

__all__ = [
    "AggregateWriter",
    "ConcurrentUpdate",
    "ConsumerQueue",
    "DocumentLocks",
    "EventConsumer",
    "EventPublisher",
    "Handler",
    "InvalidMessage",
    "MessagingRuntime",
    "OutboxRelay",
    "PublishFailed",
    "RetryPolicy",
    "ServiceTopology",
    "TransientFailure",
    "apply_once",
    "create_outbox_indexes",
    "new_document_with_outbox",
    "topology_from_settings",
    "update_with_outbox",
]
