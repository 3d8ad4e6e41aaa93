"""Label values that stay few and say nothing about a person.

Prometheus keeps one series per distinct label set, so a label must come from
a short list the code knows: an event type of the contract catalogue, an HTTP
method, a route template, a reason class. Anything else a caller or a message
could put there (a path with an id, a forged AMQP `type`, free text) is folded
into one catch-all value, so no id, name or message text becomes a label and
no sender can grow the number of series.
"""

from __future__ import annotations

from plut_shared.contracts import event_types

UNKNOWN = "unknown"
OTHER = "other"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


_known_event_types: frozenset[str] = frozenset()


def event_type_label(event_type: str | None) -> str:
    """The event type when the catalogue knows it, else `unknown`."""
    global _known_event_types
    if event_type in _known_event_types:
        return event_type
    # Read again on a miss: a module may have registered more types since.
    _known_event_types = frozenset(known for known, _ in event_types())
    return event_type if event_type in _known_event_types else UNKNOWN


def method_label(method: str) -> str:
    return method if method in HTTP_METHODS else OTHER


def one_of(value: str, allowed: frozenset[str]) -> str:
    """`value` when it is one of `allowed`, else `other`."""
    return value if value in allowed else OTHER
