from __future__ import annotations

from datetime import timedelta

import pytest
from notifications.bootstrap import EVENTS
from notifications.domain.rendering import LANGUAGES, template_files
from notifications.domain.rules import (
    CANCELS_WAITING,
    RULES,
    TEMPLATES,
    PayloadLike,
    Timing,
    due_at,
    event_types,
    message_id,
    reminder_time,
    rules_for,
)
from plut_shared.contracts import payload_model
from plut_shared.contracts.catalog import event_types as contract_event_types
from plut_shared.contracts.registration import ScaleClass

from tests.unit.notifications.examples import EXAMPLES, REJECTED, SESSION_START, example_for

# Events about one owner that tell the owner nothing, and why.
SILENT_ABOUT_AN_OWNER = {
    "registration.umkm.profile_updated": "the contact book takes the new details",
    "registration.umkm.consent_changed": "the owner's own choice, kept by registration",
    "registration.umkm.erased": "nobody is left to tell",
    "training.mentoring.completed": "the owner was at the appointment",
}

REFERRAL_EVENTS = [
    "financing.referral.submitted",
    "financing.referral.forwarded",
    "financing.referral.decided",
    "financing.referral.disbursed",
    "financing.referral.escalated",
    "financing.referral.withdrawn",
]


def _templates(event_type: str, payload: PayloadLike) -> list[str]:
    return [rule.template for rule in rules_for(event_type, payload)]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.event_type}->{rule.template}")
def test_every_rule_listens_to_an_event_that_has_a_contract(rule):
    assert payload_model(rule.event_type) is not None


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_rule_template_exists_in_indonesian_and_english(template):
    files = set(template_files())
    assert {f"{template}.{language}.txt" for language in LANGUAGES} <= files


def test_every_template_file_belongs_to_a_rule():
    assert {name.split(".")[0] for name in template_files()} == TEMPLATES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.event_type}->{rule.template}")
def test_every_rule_fires_for_its_example_event(rule):
    assert rule in rules_for(rule.event_type, example_for(rule))


def test_a_registration_welcomes_the_owner():
    assert _templates("registration.umkm.registered", EXAMPLES["registration.umkm.registered"]) == [
        "welcome"
    ]


def test_naik_kelas_is_congratulated():
    event = EXAMPLES["registration.umkm.scale_changed"]
    assert _templates("registration.umkm.scale_changed", event) == ["naik_kelas"]


def test_a_move_down_a_class_sends_nothing():
    event = EXAMPLES["registration.umkm.scale_changed"].model_copy(
        update={"from_class": ScaleClass.SMALL, "to_class": ScaleClass.MICRO, "naik_kelas": False}
    )
    assert rules_for("registration.umkm.scale_changed", event) == []


@pytest.mark.parametrize(
    "event_type", ["training.enrollment.confirmed", "training.enrollment.promoted"]
)
def test_a_place_in_a_session_is_announced_and_a_reminder_is_scheduled(event_type):
    rules = rules_for(event_type, EXAMPLES[event_type])
    assert [rule.timing for rule in rules] == [Timing.IMMEDIATE, Timing.DAY_BEFORE_SESSION]
    assert rules[1].template == "training_reminder"


def test_an_enrollment_without_a_start_time_gets_no_reminder():
    event = EXAMPLES["training.enrollment.confirmed"].model_copy(update={"starts_at": None})
    assert _templates("training.enrollment.confirmed", event) == ["enrollment_confirmed"]


def test_a_moved_session_withdraws_the_reminder_without_a_cancellation_message():
    moved = EXAMPLES["training.enrollment.cancelled"].model_copy(
        update={"reason": "session_rescheduled"}
    )
    assert _templates("training.enrollment.cancelled", moved) == []
    assert "training_reminder" in CANCELS_WAITING["training.enrollment.cancelled"].templates


@pytest.mark.parametrize(
    ("event_type", "template"),
    [
        ("training.enrollment.waitlisted", "enrollment_waitlisted"),
        ("training.enrollment.cancelled", "enrollment_cancelled"),
        ("training.mentoring.scheduled", "mentoring_scheduled"),
        ("training.mentoring.cancelled", "mentoring_cancelled"),
    ],
)
def test_other_training_events_map_to_their_template(event_type, template):
    assert _templates(event_type, EXAMPLES[event_type]) == [template]


@pytest.mark.parametrize("event_type", REFERRAL_EVENTS)
def test_every_financing_referral_status_change_notifies_the_owner(event_type):
    assert len(rules_for(event_type, EXAMPLES[event_type])) == 1


def test_a_decision_picks_the_approved_or_rejected_message():
    approved = EXAMPLES["financing.referral.decided"]
    assert _templates("financing.referral.decided", approved) == ["referral_approved"]
    assert _templates("financing.referral.decided", REJECTED) == ["referral_rejected"]


def test_every_subscribed_event_about_an_owner_tells_them_or_says_why_not():
    assert all(binding.endswith(".#") for binding in EVENTS.bindings)  # prefixes, then
    subscribed = tuple(binding.removesuffix("#") for binding in EVENTS.bindings)
    about_an_owner = {
        event_type
        for event_type, version in contract_event_types()
        if event_type.startswith(subscribed)
        and "umkm_id" in payload_model(event_type, version).model_fields
    }
    assert about_an_owner - set(SILENT_ABOUT_AN_OWNER) == {rule.event_type for rule in RULES}


@pytest.mark.parametrize(
    "event_type", ["training.session.scheduled", "registration.umkm.consent_changed", "x.y.z"]
)
def test_an_event_nobody_needs_to_hear_about_has_no_rules(event_type):
    assert rules_for(event_type, {}) == []


def test_only_a_last_minute_promotion_may_break_quiet_hours():
    assert [rule.template for rule in RULES if rule.urgent] == ["enrollment_promoted"]


def test_rules_accept_a_plain_json_payload_as_well_as_a_model():
    payload = EXAMPLES["training.enrollment.confirmed"].model_dump(mode="json")
    rule = rules_for("training.enrollment.confirmed", payload)[1]
    now = SESSION_START - timedelta(days=3)
    assert due_at(rule, payload, now) == SESSION_START - timedelta(days=1)


def test_the_reminder_is_due_one_day_before_the_session():
    assert reminder_time(SESSION_START) == SESSION_START - timedelta(days=1)


def test_a_reminder_that_would_already_be_due_is_not_scheduled():
    event = EXAMPLES["training.enrollment.confirmed"]
    reminder = rules_for("training.enrollment.confirmed", event)[1]
    late = SESSION_START - timedelta(hours=20)
    assert due_at(reminder, event, late) is None


def test_an_immediate_message_is_due_now():
    event = EXAMPLES["training.enrollment.confirmed"]
    confirmation = rules_for("training.enrollment.confirmed", event)[0]
    assert due_at(confirmation, event, SESSION_START) == SESSION_START


def test_a_naive_session_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        reminder_time(SESSION_START.replace(tzinfo=None))


def test_a_cancellation_makes_the_waiting_messages_about_the_same_thing_pointless():
    enrolment = CANCELS_WAITING["training.enrollment.cancelled"]
    assert (enrolment.templates, enrolment.about) == ({"training_reminder"}, "session_id")
    mentoring = CANCELS_WAITING["training.mentoring.cancelled"]
    assert (mentoring.templates, mentoring.about) == ({"mentoring_scheduled"}, "appointment_id")


def test_the_service_subscribes_to_every_event_a_rule_needs():
    assert {rule.event_type for rule in RULES} <= event_types()


def test_message_ids_are_stable_per_event_and_template():
    assert message_id("e1", "welcome") == message_id("e1", "welcome")
    assert message_id("e1", "welcome") != message_id("e1", "training_reminder")
    assert message_id("e1", "welcome") != message_id("e2", "welcome")
