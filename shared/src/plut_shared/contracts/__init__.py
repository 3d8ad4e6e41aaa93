"""Event contracts. Importing this package registers every payload model."""

from plut_shared.contracts import financing, notifications, partners, registration, training
from plut_shared.contracts.catalog import (
    Payload,
    UnknownEventType,
    event,
    event_type_of,
    event_types,
    make_envelope,
    parse_payload,
    payload_model,
)
from plut_shared.contracts.envelope import Envelope, new_event_id, utc_now

__all__ = [
    "Envelope",
    "Payload",
    "UnknownEventType",
    "event",
    "event_type_of",
    "event_types",
    "financing",
    "make_envelope",
    "new_event_id",
    "notifications",
    "parse_payload",
    "partners",
    "payload_model",
    "registration",
    "training",
    "utc_now",
]
