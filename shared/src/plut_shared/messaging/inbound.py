"""Turning one raw delivery into a trusted envelope, or an `InvalidMessage` with the reason.

The kernel reads every delivery itself, from its raw bytes and properties
(FastStream's own decoding is bypassed, see `consumer.py`), so no body can fail
before the kernel sees it. Checked in order: size, content type and encoding,
the envelope (pydantic parses JSON with a nesting limit, so a 100k-deep body is
an error, not a crash), the ids, and the publisher (`trust.py`).
"""

from __future__ import annotations

import re

from aio_pika.abc import AbstractIncomingMessage

from plut_shared.contracts import Envelope
from plut_shared.messaging.errors import InvalidMessage, describe
from plut_shared.messaging.trust import PublisherTrust

JSON = "application/json"
# The event contract (README): event ids are UUIDs (v7 from our producers) or ULIDs.
_EVENT_ID = re.compile(
    r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-HJKMNP-TV-Z]{26})$"
)


class DeliveryReader:
    def __init__(self, trust: PublisherTrust, max_bytes: int) -> None:
        self.trust = trust
        self.max_bytes = max_bytes

    def publisher(self, raw: AbstractIncomingMessage) -> str | None:
        return self.trust.verified_publisher(raw.user_id, raw.headers)

    def read(self, raw: AbstractIncomingMessage) -> Envelope:
        self._check_properties(raw)
        try:
            envelope = Envelope.model_validate_json(raw.body)
        except ValueError as error:
            raise InvalidMessage(f"invalid envelope: {describe(error)}") from error
        _check_ids(raw, envelope)
        self.trust.check(envelope, self.publisher(raw))
        return envelope

    def _check_properties(self, raw: AbstractIncomingMessage) -> None:
        if len(raw.body) > self.max_bytes:
            raise InvalidMessage(f"body of {len(raw.body)} bytes exceeds {self.max_bytes}")
        content_type = (raw.content_type or "").split(";")[0].strip().lower()
        if content_type != JSON:
            raise InvalidMessage(f"content type {raw.content_type!r:.80} is not {JSON}")
        if raw.content_encoding not in (None, "", "identity"):
            raise InvalidMessage(f"content encoding {raw.content_encoding!r:.80} is not supported")


def _check_ids(raw: AbstractIncomingMessage, envelope: Envelope) -> None:
    # Without an id of its own the envelope would get a fresh default one on every
    # delivery, and a duplicate would be applied twice.
    if "event_id" not in envelope.model_fields_set:
        raise InvalidMessage("event_id is missing")
    if not _EVENT_ID.match(envelope.event_id):
        raise InvalidMessage("event_id is not a UUID or ULID")
    if raw.message_id != envelope.event_id:
        raise InvalidMessage("AMQP message_id differs from the envelope's event_id")
