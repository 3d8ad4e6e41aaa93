"""The AsyncAPI documents partners read are the ones the code generates."""

from __future__ import annotations

import json

import pytest

from scripts.asyncapi import PARTNERS, SERVICES, documents


@pytest.fixture(scope="module")
def generated() -> dict:
    return documents()


def test_every_checked_in_asyncapi_document_matches_the_code(generated: dict) -> None:
    stale = [
        path.name
        for path, text in generated.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"stale AsyncAPI documents {stale}: run `uv run python -m scripts.asyncapi`"


def test_each_service_documents_every_event_it_publishes_with_its_payload(generated: dict) -> None:
    for path, text in generated.items():
        if path == PARTNERS:
            continue
        service = path.stem
        assert service in SERVICES
        channels = json.loads(text)["channels"]
        published = [c for c in channels if c.startswith(f"{service}.")]
        assert published, f"{service} documents no event"
        schemas = json.loads(text)["components"]["schemas"]
        assert any(
            name.endswith("Event") and "payload" in s["properties"] for name, s in schemas.items()
        )


def test_the_partner_document_shows_what_partners_receive_and_may_answer(generated: dict) -> None:
    channels = json.loads(generated[PARTNERS])["channels"]
    exchanges = {
        channel["address"]: channel["bindings"]["amqp"]["exchange"]["name"]
        for channel in channels.values()
    }
    assert exchanges == {
        "partner.{partner_id}.referral.offered": "plut.partners",
        "partner.{partner_id}.referral.withdrawn": "plut.partners",
        "partner.{partner_id}.referral.erased": "plut.partners",
        "partner.{partner_id}.referral.decided": "plut.partner-replies",
        "partner.{partner_id}.referral.disbursed": "plut.partner-replies",
    }
    assert "plut.events" not in generated[PARTNERS]  # partners never see the internal exchange
