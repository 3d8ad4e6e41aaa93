"""The chaos run's tally finds a lost step and a second welcome (so its zeros mean something)."""

from __future__ import annotations

from tests.support.chaos.observed import Observed
from tests.support.chaos.tally import tally
from tests.support.chaos.workload import Outcome

PHONES = {"a": "+6281200000001", "b": "+6281200000002"}


def everything_once() -> Observed:
    seen = Observed()
    for umkm_id, phone in PHONES.items():
        seen.stored[umkm_id] = phone
        seen.published[umkm_id].add(f"event-{umkm_id}")
        seen.contacts.add(umkm_id)
        seen.welcomes[umkm_id] += 1
        seen.requests[phone] += 1
        seen.delivered[phone] += 1
    return seen


def accepted() -> list[Outcome]:
    return [Outcome(phone, umkm_id, "created") for umkm_id, phone in PHONES.items()]


def test_every_step_once_is_neither_lost_nor_duplicated():
    result = tally(accepted(), everything_once())

    assert (result.accepted, result.lost_total, result.duplicated_total) == (2, 0, 0)


def test_an_accepted_enterprise_without_a_delivered_welcome_is_lost():
    seen = everything_once()
    del seen.delivered[PHONES["b"]]

    result = tally(accepted(), seen)

    assert result.lost_total == 1
    assert result.lost["welcome delivered"] == 1
    assert result.lost_examples == ["b (created): no welcome delivered"]


def test_a_stored_document_with_another_phone_does_not_count_as_stored():
    seen = everything_once()
    seen.stored["a"] = "+6281299999999"

    assert tally(accepted(), seen).lost["stored"] == 1


def test_a_second_welcome_on_the_phone_is_an_owner_visible_duplicate():
    seen = everything_once()
    seen.delivered[PHONES["a"]] += 1
    seen.requests[PHONES["a"]] += 1

    result = tally(accepted(), seen)

    assert (result.duplicated_total, result.duplicated_owner_visible) == (1, 1)


def test_a_resend_the_provider_dropped_by_key_is_counted_apart():
    seen = everything_once()
    seen.requests[PHONES["a"]] += 1  # same key: the provider delivered it once

    result = tally(accepted(), seen)

    assert (result.duplicated_total, result.resent_dropped_by_key) == (0, 1)


def test_two_events_for_one_enterprise_are_a_duplicate_even_if_one_welcome_arrived():
    seen = everything_once()
    seen.published["a"].add("another-event")

    result = tally(accepted(), seen)

    assert result.duplicated["registered event"] == 1
    assert result.duplicated_owner_visible == 0


def test_a_refused_request_is_not_accepted_and_not_lost():
    outcomes = [*accepted(), Outcome("+6281200000003", None, "refused 422")]

    result = tally(outcomes, everything_once())

    assert (result.submitted, result.accepted, result.lost_total) == (3, 2, 0)
