"""Replies a partner publishes, as the partner AsyncAPI document describes them.

Each is an envelope whose `producer` is the partner id; it is published on
`plut.partner-replies` under `partner.<partner_id>.referral.<verb>`, with the
AMQP `user_id` set to the partner's own broker user (the broker refuses any
other) and `message_id` equal to the envelope's `event_id`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

REPLIES_EXCHANGE = "plut.partner-replies"
WIB = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Reply:
    event_id: str
    event_type: str
    routing_key: str
    correlation_id: str
    body: bytes


def reply_to(offer: dict[str, Any], partner_id: str, verb: str, payload: dict[str, Any]) -> Reply:
    """A reply to `offer` (an envelope as received), e.g. verb `decided`."""
    event_id, event_type = str(uuid.uuid4()), f"partner.referral.{verb}"
    envelope = {
        "event_id": event_id,
        "event_type": event_type,
        "schema_version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": partner_id,
        "centre_id": offer["centre_id"],
        "subject_id": offer["payload"]["referral_id"],
        "correlation_id": offer["correlation_id"],
        "causation_id": offer["event_id"],
        "payload": payload,
    }
    return Reply(
        event_id,
        event_type,
        f"partner.{partner_id}.referral.{verb}",
        offer["correlation_id"],
        json.dumps(envelope).encode(),
    )


def decision(offer: dict[str, Any], partner_id: str, approve_up_to: int) -> Reply:
    payload = offer["payload"]
    approved = payload["amount"] <= approve_up_to
    reason = "" if approved else "amount above this branch's approval limit"
    body = {"referral_id": payload["referral_id"], "approved": approved, "reason": reason}
    return reply_to(offer, partner_id, "decided", body)


def disbursement(offer: dict[str, Any], partner_id: str) -> Reply:
    payload = offer["payload"]
    body = {
        "referral_id": payload["referral_id"],
        "amount": payload["amount"],
        "disbursed_on": datetime.now(WIB).date().isoformat(),
    }
    return reply_to(offer, partner_id, "disbursed", body)
