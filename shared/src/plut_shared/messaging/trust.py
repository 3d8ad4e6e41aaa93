"""Who may publish which events, and who published a delivery (README, "Security").

Every service connects to the broker as its own user, `<prefix><service>`
(`plut-registration`, ...), whose topic permissions on `plut.events` let it
publish only routing keys `<service>.*`. Publishers set the AMQP `user_id`,
which RabbitMQ checks against the connection's user, so a consumer knows who
published a delivery and accepts an event only from the service that owns its
type: the first segment of `<service>.<entity>.<verb>`.

A consumer that moves a message to its retry queues or parking lot publishes
it again under its own user; it keeps the verified original publisher in the
`x-plut-verified-publisher` header. That header is believed only on a message
whose `user_id` is the consumer's own user: no other user can publish with that
`user_id`, nor write to the service's own exchange (section 4, permissions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from plut_shared.messaging import headers as h
from plut_shared.messaging.errors import InvalidMessage

if TYPE_CHECKING:
    from plut_shared.contracts import Envelope

DEFAULT_USER_PREFIX = "plut-"


def owning_service(event_type: str) -> str:
    """The service that alone may publish `event_type` (its first segment)."""
    return event_type.partition(".")[0]


def broker_user(service: str, prefix: str = DEFAULT_USER_PREFIX) -> str:
    return f"{prefix}{service}"


def user_of(amqp_url: str) -> str:
    """The broker user an AMQP URL connects as (RabbitMQ's default is guest)."""
    return unquote(urlsplit(amqp_url).username or "guest")


def _text(value: Any) -> str | None:
    if isinstance(value, bytes | bytearray):
        return value.decode(errors="replace")
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class PublisherTrust:
    """What one consumer believes about the publishers of its deliveries."""

    own_user: str
    user_prefix: str = DEFAULT_USER_PREFIX

    def verified_publisher(self, user_id: str | None, headers: Mapping[str, Any]) -> str | None:
        if user_id == self.own_user:
            relayed = _text(headers.get(h.VERIFIED_PUBLISHER))
            if relayed:
                return relayed
        return user_id or None

    def check(self, envelope: Envelope, publisher: str | None) -> None:
        """Raise `InvalidMessage` unless `publisher` may have published `envelope`."""
        self.check_owner(envelope.event_type, publisher)

    def check_owner(self, event_type: str, publisher: str | None) -> None:
        owner = broker_user(owning_service(event_type), self.user_prefix)
        if publisher != owner:
            raise InvalidMessage(
                f"{event_type} is accepted only from broker user {owner}, "
                f"not from {publisher or 'a publisher without user_id'}"
            )
