"""The event contract: envelope, catalog, naming, versions and JSON round trips."""

from __future__ import annotations

import types
import typing
import uuid
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import pytest
from plut_shared.contracts import (
    Envelope,
    event_types,
    make_envelope,
    new_event_id,
    parse_payload,
    payload_model,
)
from pydantic import BaseModel, ValidationError

SERVICES = {"registration", "training", "financing", "notifications", "partner"}
IRREGULAR_PAST = {"withdrawn"}

CONTRACT_CATALOG = [
    "registration.umkm.registered",
    "registration.umkm.profile_updated",
    "registration.umkm.scale_changed",
    "registration.umkm.consent_changed",
    "registration.umkm.erased",
    "training.session.scheduled",
    "training.session.cancelled",
    "training.enrollment.confirmed",
    "training.enrollment.waitlisted",
    "training.enrollment.promoted",
    "training.enrollment.cancelled",
    "training.participant.completed",
    "training.mentoring.scheduled",
    "training.mentoring.completed",
    "financing.referral.submitted",
    "financing.referral.forwarded",
    "financing.referral.decided",
    "financing.referral.disbursed",
    "financing.referral.escalated",
    "financing.referral.withdrawn",
    "notifications.message.delivered",
    "notifications.message.failed",
]


def example_value(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # a bounded type inside an optional one
        return example_value(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return example_value(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if origin is dict:
        return {"field": "value"}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return example(annotation)
    samples = {
        str: "x",
        int: 1,
        bool: True,
        datetime: datetime(2026, 12, 1, 2, tzinfo=UTC),
        date: date(2026, 12, 1),
    }
    return samples[annotation]


def example(model: type[BaseModel]) -> BaseModel:
    return model(**{name: example_value(f.annotation) for name, f in model.model_fields.items()})


# `testkit.*` types are registered by the kernel's test service, not the platform.
ALL_TYPES = [t for t in event_types() if not t[0].startswith("testkit.")]


def test_every_event_of_the_design_catalog_has_a_contract() -> None:
    assert {event_type for event_type, _ in ALL_TYPES} >= set(CONTRACT_CATALOG)


@pytest.mark.parametrize(("event_type", "version"), ALL_TYPES)
def test_every_event_type_is_named_service_entity_past_tense_verb(
    event_type: str, version: int
) -> None:
    service, entity, verb = event_type.split(".")
    assert service in SERVICES
    assert entity and (verb.endswith("ed") or verb in IRREGULAR_PAST)
    assert version >= 1


@pytest.mark.parametrize(("event_type", "version"), ALL_TYPES)
def test_every_payload_field_is_described_for_the_asyncapi_documents(
    event_type: str, version: int
) -> None:
    model = payload_model(event_type, version)
    undocumented = [name for name, field in model.model_fields.items() if not field.description]
    assert undocumented == []


@pytest.mark.parametrize(("event_type", "version"), ALL_TYPES)
def test_every_event_survives_a_json_round_trip(event_type: str, version: int) -> None:
    payload = example(payload_model(event_type, version))
    envelope = make_envelope(
        payload,
        producer="test",
        centre_id="batu",
        subject_id="s-1",
        correlation_id="c-1",
        causation_id="e-0",
    )
    received = Envelope.model_validate_json(envelope.model_dump_json())
    assert received == envelope
    assert parse_payload(received) == payload
    assert received.event_type == event_type
    assert received.schema_version == version


def test_consumers_ignore_fields_they_do_not_know() -> None:
    envelope = make_envelope(
        example(payload_model("registration.umkm.erased")),
        producer="test",
        centre_id="batu",
        subject_id="u-1",
        correlation_id="c",
    )
    raw = envelope.model_dump(mode="json")
    raw["added_later"] = "ignored"
    raw["payload"]["new_optional_field"] = 42
    received = Envelope.model_validate(raw)
    assert parse_payload(received).model_dump() == {"umkm_id": "x"}


def test_producers_reject_a_payload_with_a_field_the_contract_lacks() -> None:
    model = payload_model("registration.umkm.erased")
    with pytest.raises(ValidationError, match=r"extra_forbidden|Extra inputs"):
        model(umkm_id="u-1", nik="3576014101900001")


def test_an_event_type_must_follow_the_naming_rule() -> None:
    with pytest.raises(ValidationError, match="event_type"):
        Envelope(
            event_type="UmkmRegistered",
            producer="p",
            centre_id="c",
            subject_id="s",
            correlation_id="c",
            payload={},
        )


def test_event_ids_are_uuid7_and_sort_by_creation_time() -> None:
    ids = [new_event_id() for _ in range(50)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    first, later = ids[0], new_event_id()
    assert uuid.UUID(first).int >> 80 <= uuid.UUID(later).int >> 80
