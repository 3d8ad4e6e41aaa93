"""What of an event a scheduled message keeps, and how to get typed values back.

A message is rendered when it is sent, maybe hours later (reminders, quiet
hours), so it keeps the event's fields. Personal fields are dropped: the
contact book supplies names at send time, and erasing the contact is then
enough to erase them from every pending message too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from plut_shared.contracts import payload_model
from pydantic import BaseModel, TypeAdapter

# Fields of contract payloads that identify or reach a person.
PERSONAL_FIELDS = frozenset(
    {"owner_name", "business_name", "phone", "email", "nik", "nib", "changed"}
)


def storable(payload: BaseModel) -> dict[str, Any]:
    """The payload as JSON-safe values, without personal fields."""
    dumped = payload.model_dump(mode="json")
    return {key: value for key, value in dumped.items() if key not in PERSONAL_FIELDS}


def typed(event_type: str, stored: Mapping[str, Any], version: int = 1) -> dict[str, Any]:
    """Stored fields converted back to the contract's types (datetimes, dates, enums).

    Field by field, because the whole model would reject the payload for the
    personal fields that were dropped.
    """
    model = payload_model(event_type, version)
    fields = model.model_fields
    return {
        key: _adapter(model, key).validate_python(value) if key in fields else value
        for key, value in stored.items()
    }


@cache
def _adapter(model: type[BaseModel], field: str) -> TypeAdapter[Any]:
    annotation = model.model_fields[field].annotation
    return TypeAdapter(annotation if annotation is not None else Any)
