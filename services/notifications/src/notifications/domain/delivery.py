"""The life of one message: states, retry delays, and which channel to try next.

    scheduled -> sending -> delivered
                    |-> retrying -> sending ...      (transient failure, backoff)
                    |-> scheduled (next channel)     (permanent failure / channel exhausted)
                    |-> scheduled (later)            (quiet hours began while it waited)
                    |-> failed -> scheduled          (no channel left; an officer resends)
    scheduled/retrying -> cancelled                  (owner erased, made pointless)

`sending` is a claim with a lease: a sender that dies mid-send leaves the
message in `sending`, and once the lease runs out another round takes it again.
The transitions themselves are methods of `message.Message`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from plut_shared.contracts.registration import Channel


class State(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


# States in which a message waits for its turn: the dispatcher will still send it.
WAITING_STATES: tuple[State, ...] = (State.SCHEDULED, State.RETRYING)


# The attempts key while the owner's contact details have not arrived.
NO_CONTACT = "contact"


class Outcome(StrEnum):
    DELIVERED = "delivered"
    TRANSIENT = "transient"  # retried later on the same channel
    GAVE_UP = "gave_up"  # the channel was dropped


@dataclass(frozen=True)
class Attempt:
    at: datetime
    channel: str
    outcome: Outcome
    error: str | None = None  # the provider's error, never personal data


class CancelReason(StrEnum):
    ERASED = "erased"
    NO_CHANNEL = "no_usable_channel"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class DeliveryRetryPolicy:
    """How often, and how far apart, one channel is tried before falling back."""

    max_attempts: int
    backoff_base: timedelta
    backoff_max: timedelta

    def delay(self, attempt: int, retry_after: float | None = None) -> timedelta:
        """Exponential backoff after the `attempt`-th failure; a provider's Retry-After wins."""
        exponential = self.backoff_base * (2 ** max(attempt - 1, 0))
        delay = min(exponential, self.backoff_max)
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        return delay


def next_channel(order: list[Channel], exhausted: Collection[str]) -> Channel | None:
    """The first usable channel not given up on yet."""
    return next((channel for channel in order if channel not in exhausted), None)


@dataclass(frozen=True)
class Retry:
    """Try the same channel again at `at`."""

    at: datetime


@dataclass(frozen=True)
class GiveUpChannel:
    """This channel will not get through: fall back to the next one now."""


def after_transient_failure(
    policy: DeliveryRetryPolicy,
    attempts_on_channel: int,
    now: datetime,
    retry_after: float | None = None,
) -> Retry | GiveUpChannel:
    if attempts_on_channel >= policy.max_attempts:
        return GiveUpChannel()
    return Retry(now + policy.delay(attempts_on_channel, retry_after))


def total_attempts(per_channel: Mapping[str, int]) -> int:
    return sum(per_channel.values())
