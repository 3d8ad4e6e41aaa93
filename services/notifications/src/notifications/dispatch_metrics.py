"""Metrics of the messages owners are sent: state transitions, send attempts, sends in flight.

Counted where each transition happens (the event handlers schedule, the
dispatcher claims, the sender records an outcome), never by counting stored
messages, so a scrape queries nothing. Labels are states and channels only:
never an owner, an address or a text.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge

ATTEMPT_OUTCOMES = ("delivered", "transient_failure", "permanent_failure")


class DispatchMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self._transitions = Counter(
            "plut_notifications_message_transitions",
            "Messages entering a state: scheduled (new, deferred or moved to the next "
            "channel), sending (claimed), delivered, retrying, failed, cancelled.",
            ["state"],
            registry=registry,
        )
        self._attempts = Counter(
            "plut_notifications_send_attempts",
            "Hand-overs to a channel, by channel and outcome (delivered, transient_failure, "
            "permanent_failure).",
            ["channel", "outcome"],
            registry=registry,
        )
        self._in_flight = Gauge(
            "plut_notifications_sends_in_flight",
            "Sends this process has under way.",
            registry=registry,
        )

    def entered(self, state: str, messages: int = 1) -> None:
        self._transitions.labels(state).inc(messages)

    def attempted(self, channel: str, outcome: str) -> None:
        self._attempts.labels(channel, outcome).inc()

    def count_in_flight(self, count: Callable[[], int]) -> None:
        """The gauge reads `count` at scrape time (a length: no query)."""
        self._in_flight.set_function(count)
