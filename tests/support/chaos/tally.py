"""Lost and duplicated, per accepted enterprise, from what the client and each part saw.

An accepted enterprise is lost when any step of its way is missing: no stored
document (with the phone the client sent), no `registered` event seen on the
bus, no contact at notifications, or no welcome delivered at the provider. It
is duplicated when a step happened twice: two distinct `registered` events, two
welcome messages, or two welcomes on the owner's phone. The provider drops a
repeated idempotency key (a resend after a crash); those are counted apart,
as resends the owner never saw.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tests.support.chaos.observed import Observed
from tests.support.chaos.workload import Outcome


@dataclass
class Tally:
    submitted: int = 0
    accepted: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    stored: int = 0
    stored_not_accepted: int = 0
    published: int = 0
    published_copies: int = 0
    outbox_pending: int = 0
    consumed: int = 0
    welcome_messages: int = 0
    welcome_states: Counter[str] = field(default_factory=Counter)
    welcomes_requested: int = 0
    welcomes_delivered: int = 0
    lost: Counter[str] = field(default_factory=Counter)  # step -> enterprises lost there
    duplicated: Counter[str] = field(default_factory=Counter)
    resent_dropped_by_key: int = 0
    lost_examples: list[str] = field(default_factory=list)

    @property
    def lost_total(self) -> int:
        return int(self.lost["any step"])

    @property
    def duplicated_total(self) -> int:
        """Enterprises with any step done twice (a second effect or a second welcome)."""
        return int(self.duplicated["any step"])

    @property
    def duplicated_owner_visible(self) -> int:
        return int(self.duplicated["welcome on the phone"])


def tally(outcomes: list[Outcome], seen: Observed) -> Tally:
    result = Tally(submitted=len(outcomes), answers=Counter(o.how for o in outcomes))
    accepted = [o for o in outcomes if o.accepted and o.umkm_id]
    result.accepted = len({o.umkm_id for o in accepted})
    # Two requests (two NIKs) answered with one enterprise: counted as a duplicate too.
    shared = len(accepted) - result.accepted
    result.duplicated["one enterprise accepted for two requests"] = shared
    result.duplicated["any step"] = shared
    _counts(result, seen, {o.umkm_id for o in accepted if o.umkm_id})
    for outcome in accepted:
        _check_one(result, outcome, seen)
    return result


def _counts(result: Tally, seen: Observed, accepted_ids: set[str]) -> None:
    result.stored = len(seen.stored)
    result.stored_not_accepted = len(set(seen.stored) - accepted_ids)
    result.published = len(seen.published)
    result.published_copies = seen.published_copies
    result.outbox_pending = seen.outbox_pending
    result.consumed = len(seen.contacts)
    result.welcome_messages = sum(seen.welcomes.values())
    result.welcome_states = seen.welcome_states
    result.welcomes_requested = sum(seen.requests.values())
    result.welcomes_delivered = sum(seen.delivered.values())


def _check_one(result: Tally, outcome: Outcome, seen: Observed) -> None:
    umkm_id, phone = str(outcome.umkm_id), outcome.phone
    missing = [
        step
        for step, present in (
            ("stored", seen.stored.get(umkm_id) == phone),
            ("published", bool(seen.published.get(umkm_id))),
            ("consumed", umkm_id in seen.contacts),
            ("welcome message", seen.welcomes[umkm_id] > 0),
            ("welcome delivered", seen.delivered[phone] > 0),
        )
        if not present
    ]
    for step in missing:
        result.lost[step] += 1
    if missing:
        result.lost["any step"] += 1
        if len(result.lost_examples) < 10:
            result.lost_examples.append(f"{umkm_id} ({outcome.how}): no {', no '.join(missing)}")
    twice = [
        step
        for step, count in (
            ("registered event", len(seen.published.get(umkm_id, ()))),
            ("welcome message", seen.welcomes[umkm_id]),
            ("welcome on the phone", seen.delivered[phone]),
        )
        if count > 1
    ]
    for step in twice:
        result.duplicated[step] += 1
    result.duplicated["any step"] += bool(twice)
    result.resent_dropped_by_key += seen.requests[phone] - seen.delivered[phone]
