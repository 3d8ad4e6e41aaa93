"""The chaos client's reading of answers: a 409 counts as accepted only after a lost answer."""

from __future__ import annotations

import httpx

from tests.support.chaos.workload import Outcome, Registrar

DUPLICATE = {"detail": "nik already registered as u-1", "field": "nik", "existing_umkm_id": "u-1"}


def settle(status: int, body: dict, unanswered: int = 0) -> tuple[bool, Outcome]:
    outcome = Outcome("+6281200000001", unanswered=unanswered)
    settled = Registrar._settled(httpx.Response(status, json=body), outcome)
    return settled, outcome


def test_a_201_is_accepted_with_its_id():
    settled, outcome = settle(201, {"umkm_id": "u-9"})

    assert settled and outcome.accepted and outcome.umkm_id == "u-9"


def test_a_409_naming_an_enterprise_after_an_unanswered_attempt_is_accepted_once():
    settled, outcome = settle(409, DUPLICATE, unanswered=1)

    assert settled and outcome.accepted
    assert (outcome.umkm_id, outcome.how) == ("u-1", "conflict after retry")


def test_a_409_on_a_first_attempt_is_refused_not_accepted():
    settled, outcome = settle(409, DUPLICATE)

    assert settled and not outcome.accepted and outcome.how == "refused 409"


def test_a_5xx_is_sent_again_and_may_have_been_stored():
    settled, outcome = settle(503, {"detail": "store away"})

    assert not settled and outcome.unanswered == 1


def test_a_409_without_an_enterprise_is_a_lost_race_and_sent_again():
    settled, outcome = settle(409, {"detail": "the enterprise changed meanwhile; retry"})

    assert not settled and not outcome.accepted
