"""The partner stream: names, routing and trust (README, "Partner stream").

Partners (banks, LPDB) never touch `plut.events`. Two exchanges of their own,
declared when the broker is provisioned:
- `plut.partners` (topic): partner-facing events, routing key
  `partner.<partner_id>.<entity>.<verb>`. Each partner's queue,
  `partner.<partner_id>.referrals`, is bound to `partner.<partner_id>.#`, so it
  receives only what is routed to that partner. Only the financing user may
  write there.
- `plut.partner-replies` (topic): partners' answers, routing key
  `partner.<partner_id>.referral.<verb>`; the financing service's queue
  `financing.partner-replies` is bound to it.

A partner-facing event leaves through the aggregate's outbox like any other:
the service records it (`partner.referral.offered`, ...) and the relay hands
it to `EventPublisher.publish_event`, which sends an event whose type belongs
to `partner` to `plut.partners` under `partner_routing_key` instead of to
`plut.events`. So an offer is written in the same atomic write as the state
change that caused it, and leaves in order after it.

Trust: a partner's broker user, `<prefix>partner-<partner_id>`, may read only
its queue and write only to `plut.partner-replies` under its own routing keys,
with no configure right. A reply's envelope names the partner in `producer`;
`PartnerReplyTrust` accepts it only when the broker-verified `user_id` is that
partner's user, so a handler can trust `envelope.producer`.
"""

from __future__ import annotations

import re

from plut_shared.contracts import Envelope
from plut_shared.contracts.partners import PARTNER_ID_PATTERN
from plut_shared.messaging.errors import InvalidMessage
from plut_shared.messaging.trust import PublisherTrust, broker_user, owning_service

PARTNERS_EXCHANGE = "plut.partners"
PARTNER_REPLIES_EXCHANGE = "plut.partner-replies"
PARTNER = "partner"
PARTNER_QUEUE_ARGUMENTS = {
    "x-queue-type": "quorum",
    # A full queue refuses new offers (the relay sees a nack and retries later)
    # rather than dropping the oldest.
    "x-overflow": "reject-publish",
    "x-max-length": 100_000,
}
_PARTNER_ID = re.compile(PARTNER_ID_PATTERN)


class InvalidPartnerId(ValueError):
    pass


def checked_partner_id(partner_id: str) -> str:
    if not _PARTNER_ID.match(partner_id):
        raise InvalidPartnerId(
            f"partner id {partner_id[:50]!r} must be 1-40 lowercase letters, digits or "
            "hyphens, starting with a letter or digit"
        )
    return partner_id


def is_partner_facing(event_type: str) -> bool:
    """Events of the partner stream: `partner.<entity>.<verb>`."""
    return owning_service(event_type) == PARTNER


def partner_queue(partner_id: str) -> str:
    return f"partner.{checked_partner_id(partner_id)}.referrals"


def partner_user(partner_id: str, prefix: str) -> str:
    return broker_user(f"{PARTNER}-{checked_partner_id(partner_id)}", prefix)


def partner_binding(partner_id: str) -> str:
    return f"partner.{checked_partner_id(partner_id)}.#"


def partner_routing_key(envelope: Envelope) -> str:
    """`partner.<partner_id>.<entity>.<verb>` for a partner-facing event."""
    partner_id = checked_partner_id(str(envelope.payload.get("partner_id", "")))
    entity_and_verb = envelope.event_type.partition(".")[2]
    return f"partner.{partner_id}.{entity_and_verb}"


def partner_permissions(partner_id: str) -> dict[str, str]:
    """Read its own queue, write the replies exchange, configure nothing."""
    return {
        "configure": "^$",
        "write": f"^{re.escape(PARTNER_REPLIES_EXCHANGE)}$",
        "read": f"^{re.escape(partner_queue(partner_id))}$",
    }


def partner_topic_permissions(partner_id: str) -> dict[str, str]:
    """On the replies exchange, only routing keys `partner.<its id>.`: no reply as another."""
    own = re.escape(f"partner.{checked_partner_id(partner_id)}.")
    return {"exchange": PARTNER_REPLIES_EXCHANGE, "write": f"^{own}", "read": "^$"}


class PartnerReplyTrust(PublisherTrust):
    """Replies are accepted only from the broker user of the partner named in `producer`."""

    def check(self, envelope: Envelope, publisher: str | None) -> None:
        if not is_partner_facing(envelope.event_type):
            raise InvalidMessage(f"{envelope.event_type} is not a partner reply")
        try:
            expected = partner_user(envelope.producer, self.user_prefix)
        except InvalidPartnerId as error:
            raise InvalidMessage(f"producer: {error}") from None
        if publisher != expected:
            raise InvalidMessage(
                f"a reply from partner {envelope.producer} is accepted only from broker user "
                f"{expected}, not from {publisher or 'a publisher without user_id'}"
            )
