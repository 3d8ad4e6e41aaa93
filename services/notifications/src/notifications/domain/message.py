"""One notification message as an aggregate: each step of its life is a method here.

A message is scheduled from one event for one template (its id comes from
both, `rules.message_id`), claimed by a sender for a while (`sending`, with a
lease), and ends delivered, failed or cancelled; `delivery` draws the states.
It keeps no address, no rendered text and no names: it is rendered from the
contact book when it is sent, and erasure scrubs the event fields it kept.
The outcomes the platform hears of are recorded as `notifications.message.*`
events, which the aggregate store saves with the new state in one write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from plut_shared.contracts import Envelope, Payload
from plut_shared.contracts.notifications import MessageDelivered, MessageFailed

from notifications.domain.delivery import (
    NO_CONTACT,
    WAITING_STATES,
    Attempt,
    CancelReason,
    DeliveryRetryPolicy,
    GiveUpChannel,
    Outcome,
    State,
    after_transient_failure,
    total_attempts,
)
from notifications.domain.quiet_hours import next_send_time
from notifications.domain.rules import Rule, message_id


class ResendRefused(Exception):
    """Only a failed message of an owner who was not erased can be sent again."""


@dataclass
class Message:
    message_id: str
    umkm_id: str
    centre_id: str
    template: str
    urgent: bool
    language: str
    event_type: str
    schema_version: int
    causation_event_id: str
    correlation_id: str
    created_at: datetime
    due_at: datetime
    payload: dict[str, Any] | None = None  # the event's fields; None once erased
    planned_channels: list[str] = field(default_factory=list)
    state: State = State.SCHEDULED
    channel: str | None = None  # last tried, or delivered on
    attempts: dict[str, int] = field(default_factory=dict)
    exhausted_channels: list[str] = field(default_factory=list)
    history: list[Attempt] = field(default_factory=list)
    lease_until: datetime | None = None
    last_error: str | None = None
    provider_message_id: str | None = None
    delivered_at: datetime | None = None
    failed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: CancelReason | None = None
    erased_at: datetime | None = None
    resends: int = 0
    # The W3C trace context (ids only) of the event, or the resend, that made it due:
    # its sends join that trace (README, "Traces").
    trace_context: dict[str, str] | None = None
    _events: list[Payload] = field(default_factory=list, init=False, repr=False, compare=False)

    @classmethod
    def schedule(
        cls,
        event: Envelope,
        rule: Rule,
        payload: dict[str, Any],
        *,
        language: str,
        channels: list[str],
        due_at: datetime,
        now: datetime,
        trace_context: dict[str, str] | None = None,
    ) -> Message:
        """The message `rule` sends about `event`; one id per (event, template), ever."""
        return cls(
            message_id=message_id(event.event_id, rule.template),
            umkm_id=str(payload["umkm_id"]),
            centre_id=event.centre_id,
            template=rule.template,
            urgent=rule.urgent,
            language=language,
            event_type=event.event_type,
            schema_version=event.schema_version,
            causation_event_id=event.event_id,
            correlation_id=event.correlation_id,
            created_at=now,
            due_at=due_at,
            payload=payload,
            planned_channels=channels,
            trace_context=trace_context,
        )

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES

    @property
    def is_sending(self) -> bool:
        return self.state is State.SENDING

    def is_due(self, now: datetime) -> bool:
        """Waiting and its time has come, or held by a sender whose lease ran out."""
        if self.is_waiting:
            return self.due_at <= now
        return self.is_sending and self.lease_until is not None and self.lease_until < now

    @property
    def ended_for_good(self) -> bool:
        """Delivered or cancelled: nothing makes it wait again (a failed one can be resent)."""
        return self.state in (State.DELIVERED, State.CANCELLED)

    @property
    def next_due_at(self) -> datetime | None:
        """When it is (or next becomes) due: its time while waiting, its lease end while sent.

        None once it has reached an end (delivered, failed, cancelled): the dispatcher
        has nothing more to do with it unless an officer resends it.
        """
        if self.is_waiting:
            return self.due_at
        return self.lease_until if self.is_sending else None

    def claim(self, now: datetime, lease_until: datetime) -> bool:
        """Take the message for one send; False when it is not due (or someone holds it)."""
        if not self.is_due(now):
            return False
        self.state, self.lease_until = State.SENDING, lease_until
        return True

    def delivered(self, channel: str, provider_message_id: str | None, now: datetime) -> None:
        self._attempted(channel, now, Outcome.DELIVERED)
        self.state, self.channel, self.lease_until = State.DELIVERED, channel, None
        self.delivered_at, self.provider_message_id = now, provider_message_id
        self._events.append(MessageDelivered(**self._event_fields(channel)))

    def failed_transiently(
        self,
        channel: str,
        error: str,
        now: datetime,
        policy: DeliveryRetryPolicy,
        retry_after: float | None = None,
    ) -> int:
        """Retry this channel later (never in quiet hours), or drop it after too many tries.

        Returns the attempts made on the channel so far.
        """
        attempts = self.attempts.get(channel, 0) + 1
        decision = after_transient_failure(policy, attempts, now, retry_after)
        if isinstance(decision, GiveUpChannel):
            self.give_up_channel(channel, error, now)
        else:
            self._retry(channel, error, next_send_time(decision.at, channel, self.urgent), now)
        return attempts

    def give_up_channel(self, channel: str, error: str, now: datetime) -> None:
        """Fall back: the next round picks the next channel (and applies quiet hours to it)."""
        self._attempted(channel, now, Outcome.GAVE_UP, error)
        if channel not in self.exhausted_channels:
            self.exhausted_channels.append(channel)
        self._wait_until(now)
        self.channel, self.last_error = channel, error

    def no_contact_yet(self, now: datetime, policy: DeliveryRetryPolicy) -> None:
        """Wait for the owner's details like for a provider outage, then give up.

        Events about one owner come from several services: training's may
        overtake registration's.
        """
        error = "no contact details for this owner yet"
        decision = after_transient_failure(policy, self.attempts.get(NO_CONTACT, 0) + 1, now)
        if isinstance(decision, GiveUpChannel):
            self._attempted(NO_CONTACT, now, Outcome.GAVE_UP, error)
            self._fail(NO_CONTACT, error, now)
        else:
            self._retry(NO_CONTACT, error, decision.at, now)

    def no_channel_left(self, now: datetime) -> None:
        """Fail once every usable channel was dropped; never tried at all: cancel."""
        if not self.attempts:
            self._cancelled(CancelReason.NO_CHANNEL, now)
            return
        error = self.last_error or "no usable channel left"
        self._fail(self.channel or NO_CONTACT, error, now)

    def defer(self, until: datetime) -> None:
        """Back to waiting without an attempt (quiet hours began while it was queued)."""
        self._wait_until(until)

    def cancel(self, reason: CancelReason, now: datetime) -> bool:
        """Drop a message still waiting; one being sent is its sender's to settle."""
        if not self.is_waiting:
            return False
        self._cancelled(reason, now)
        return True

    def owner_erased(self, now: datetime) -> None:
        """The sender holding the message found its owner erased: scrub it, send nothing."""
        self.scrub(now)
        self._cancelled(CancelReason.ERASED, now)

    def resend(self, now: datetime, trace_context: dict[str, str] | None = None) -> None:
        """An officer asks for another try: every channel is on the table again."""
        if self.erased_at is not None:
            raise ResendRefused("the owner's data was erased")
        if self.state is not State.FAILED:
            raise ResendRefused("only a failed message can be resent")
        self._wait_until(now)
        self.exhausted_channels, self.failed_at = [], None
        self.resends += 1
        self.trace_context = trace_context or self.trace_context

    def scrub(self, now: datetime) -> None:
        """Erasure: drop the event fields; a message still waiting is not sent at all."""
        if self.erased_at is not None:
            return
        self.erased_at, self.payload = now, None
        self.cancel(CancelReason.ERASED, now)

    def pull_events(self) -> list[Payload]:
        events, self._events = self._events, []
        return events

    def _attempted(
        self, channel: str, now: datetime, outcome: Outcome, error: str | None = None
    ) -> None:
        self.attempts[channel] = self.attempts.get(channel, 0) + 1
        self.history.append(Attempt(now, channel, outcome, error))

    def _wait_until(self, due_at: datetime) -> None:
        self.state, self.due_at, self.lease_until = State.SCHEDULED, due_at, None

    def _retry(self, channel: str, error: str, at: datetime, now: datetime) -> None:
        self._attempted(channel, now, Outcome.TRANSIENT, error)
        self.state, self.due_at, self.lease_until = State.RETRYING, at, None
        self.channel, self.last_error = channel, error

    def _cancelled(self, reason: CancelReason, now: datetime) -> None:
        self.state, self.lease_until = State.CANCELLED, None
        self.cancel_reason, self.cancelled_at = reason, now

    def _fail(self, channel: str, error: str, now: datetime) -> None:
        self.state, self.lease_until = State.FAILED, None
        self.failed_at, self.last_error = now, error
        attempts = max(total_attempts(self.attempts), 1)
        failed = MessageFailed(**self._event_fields(channel), error=error, attempts=attempts)
        self._events.append(failed)

    def _event_fields(self, channel: str) -> dict[str, str]:
        return {
            "message_id": self.message_id,
            "umkm_id": self.umkm_id,
            "channel": channel,
            "template": self.template,
            "causation_event_id": self.causation_event_id,
        }
