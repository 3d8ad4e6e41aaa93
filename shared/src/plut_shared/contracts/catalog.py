"""Registry of event types and their payload models.

One place maps `(event_type, schema_version)` to a pydantic model, so producers
validate strictly and consumers parse into types without a chain of branches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from plut_shared.contracts.envelope import Envelope

P = TypeVar("P", bound=type[BaseModel])

_CATALOG: dict[tuple[str, int], type[BaseModel]] = {}


class Payload(BaseModel):
    """Base of every payload: producers reject unknown fields, consumers ignore them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UnknownEventType(LookupError):
    pass


def event(event_type: str, version: int = 1) -> Callable[[P], P]:
    """Class decorator registering a payload model under its event type and version."""

    def register(model: P) -> P:
        key = (event_type, version)
        if key in _CATALOG and _CATALOG[key] is not model:
            raise ValueError(f"event type {event_type} v{version} registered twice")
        _CATALOG[key] = model
        model.__event_type__ = event_type  # type: ignore[attr-defined]
        model.__schema_version__ = version  # type: ignore[attr-defined]
        return model

    return register


def payload_model(event_type: str, version: int = 1) -> type[BaseModel]:
    try:
        return _CATALOG[(event_type, version)]
    except KeyError:
        raise UnknownEventType(f"no contract for {event_type} v{version}") from None


def event_types() -> list[tuple[str, int]]:
    return sorted(_CATALOG)


def event_type_of(payload: BaseModel) -> tuple[str, int]:
    cls = type(payload)
    return cls.__event_type__, cls.__schema_version__  # type: ignore[attr-defined]


def parse_payload(envelope: Envelope) -> BaseModel:
    """Parse an envelope's payload leniently: unknown fields from newer producers are ignored."""
    model = payload_model(envelope.event_type, envelope.schema_version)
    return model.model_validate(_known_fields(model, envelope.payload))


def _known_fields(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in model.model_fields}


def make_envelope(
    payload: BaseModel,
    *,
    producer: str,
    centre_id: str,
    subject_id: str,
    correlation_id: str,
    causation_id: str | None = None,
) -> Envelope:
    """Build an envelope around a registered payload; the payload is validated by its model."""
    event_type, version = event_type_of(payload)
    return Envelope(
        event_type=event_type,
        schema_version=version,
        producer=producer,
        centre_id=centre_id,
        subject_id=subject_id,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=payload.model_dump(mode="json"),
    )
