"""Metrics of the messaging kernel: events published, consumed and parked; outbox backlog.

The kernel calls these where the thing happens (one line each): the relay
after the broker confirmed a publish and when its sweep has looked at the
outboxes, the consumer when a delivery is acked, sent to a delayed retry or
parked. Every label is bounded (`labels`). A relay or consumer built without
metrics (tests, tools) gets its own unregistered set, which nobody scrapes.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from plut_shared.metrics.deliveries import was_repeat
from plut_shared.metrics.labels import event_type_label, one_of

# Why the kernel parks a message (`messaging.failures`); broker dead-lettering
# (the delivery limit) happens in RabbitMQ: `plut_parked_messages` counts both
# (`messaging.parking_watch`).
PARK_REASONS = frozenset({"invalid", "retries-exhausted"})


class KernelMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self._published = Counter(
            "plut_events_published",
            "Events the outbox relay published and the broker confirmed, by event type.",
            ["event_type"],
            registry=registry,
        )
        self._consumed = Counter(
            "plut_events_consumed",
            "Deliveries settled by a consumer, by event type and outcome: applied, "
            "duplicate (already applied before), ignored (no handler here), retried "
            "(sent to a delayed retry queue), parked.",
            ["event_type", "outcome"],
            registry=registry,
        )
        self._parked = Counter(
            "plut_events_parked",
            "Deliveries moved to the service's parking lot, by event type and reason "
            "(invalid, retries-exhausted).",
            ["event_type", "reason"],
            registry=registry,
        )
        self._backlog = Gauge(
            "plut_outbox_backlog",
            "Aggregates whose outbox still holds events, as the relay's last sweep found them.",
            ["collection"],
            registry=registry,
        )
        self._oldest = Gauge(
            "plut_outbox_oldest_pending_age_seconds",
            "Age of the oldest event the relay's last sweep found unpublished (0 when none).",
            ["collection"],
            registry=registry,
        )

        self._parking = Gauge(
            "plut_parked_messages",
            "Messages waiting in the service's parking lot, parked by the service (with "
            "a reason) or dead-lettered by the broker at the delivery limit, as last read.",
            registry=registry,
        )

    def published(self, event_type: str) -> None:
        self._published.labels(event_type_label(event_type)).inc()

    def handled(self, event_type: str) -> None:
        """A handler finished and the delivery was acked."""
        outcome = "duplicate" if was_repeat() else "applied"
        self._consumed.labels(event_type_label(event_type), outcome).inc()

    def ignored(self, event_type: str) -> None:
        self._consumed.labels(event_type_label(event_type), "ignored").inc()

    def retried(self, event_type: str | None) -> None:
        self._consumed.labels(event_type_label(event_type), "retried").inc()

    def parked(self, event_type: str | None, reason: str) -> None:
        label = event_type_label(event_type)
        self._consumed.labels(label, "parked").inc()
        self._parked.labels(label, one_of(reason, PARK_REASONS)).inc()

    def parking(self, waiting: int) -> None:
        self._parking.set(waiting)

    def outbox(self, collection: str, backlog: int, oldest_age_s: float) -> None:
        self._backlog.labels(collection).set(backlog)
        self._oldest.labels(collection).set(oldest_age_s)
