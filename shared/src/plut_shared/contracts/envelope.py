"""The envelope every message on the bus travels in (README, "Event contract")."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def new_event_id() -> str:
    """A UUIDv7: time-ordered, so ids sort by creation and index well."""
    unix_ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return str(uuid.UUID(int=value))


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """Metadata shared by every event; `payload` holds the typed body.

    Consumers ignore unknown fields (`extra="ignore"`), so producers may add
    fields without breaking anyone; producers validate payloads strictly through
    their payload models before an envelope is built.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(
        default_factory=new_event_id,
        description="UUIDv7 of this event; also the AMQP message_id. Consumers deduplicate on it.",
    )
    event_type: str = Field(
        description="`<service>.<entity>.<past-tense-verb>`; also the routing key and AMQP type.",
        pattern=r"^[a-z_]+\.[a-z_]+\.[a-z_]+$",
    )
    schema_version: int = Field(
        default=1,
        ge=1,
        description="Payload schema version. Additive changes keep it; breaking changes "
        "publish a new version side by side.",
    )
    occurred_at: datetime = Field(
        default_factory=utc_now, description="When the fact happened, UTC, ISO 8601."
    )
    producer: str = Field(description="Name of the service that produced the event.")
    centre_id: str = Field(description="PLUT centre the event belongs to, e.g. `kota-mojokerto`.")
    subject_id: str = Field(description="Id of the aggregate the event is about.")
    correlation_id: str = Field(description="Id of the first command of the chain.")
    causation_id: str | None = Field(
        default=None, description="Id of the event or command that directly caused this one."
    )
    payload: dict[str, Any] = Field(description="The typed body; see the event's payload schema.")
