from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from plut_shared.contracts.registration import Channel, ScaleClass, UmkmRegistered
from pydantic import ValidationError
from registration.domain.commands import (
    CorrectProfile,
    RegisterEnterprise,
    SetConsent,
    UpdateFinancials,
    enterprise_from_command,
)
from registration.domain.profile import ConsentPurpose

from tests.unit.registration.examples import MAN_NIK, UMKM_ID

VALID: dict[str, Any] = {
    "owner_name": "  Budi   Santoso ",
    "nik": MAN_NIK,
    "phone": "+62 0812-3456-7890",
    "business_name": "Sepatu Budi",
    "sector": "alas kaki",
    "regency_city": "Kota Mojokerto",
    "district": "Magersari",
    "capital": 250_000_000,
    "centre_id": "Kota-Mojokerto",
    "preferred_channel": "WhatsApp",
    "province": "jatim",
    "consent_marketing": True,
}


def _errors(**changes: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        RegisterEnterprise.model_validate(VALID | changes)
    return {str(e["loc"][0]) if e["loc"] else "": e["msg"] for e in caught.value.errors()}


def test_a_valid_registration_command_holds_normalised_values():
    command = RegisterEnterprise.model_validate(VALID)
    assert command.owner_name == "Budi Santoso"
    assert command.phone == "+6281234567890"
    assert command.centre_id == "kota-mojokerto"
    assert command.preferred_channel is Channel.WHATSAPP
    assert command.province == "Jawa Timur"


def test_every_bad_field_gets_its_own_clear_message():
    errors = _errors(
        nik="3576013102850001",
        phone="12345",
        nib="123",
        capital=-1,
        employees=-2,
        founding_year=1850,
        centre_id="surabaya",
        province="Atlantis",
    )
    assert set(errors) == {
        "nik",
        "phone",
        "nib",
        "capital",
        "employees",
        "founding_year",
        "centre_id",
        "province",
    }
    assert "birth date" in errors["nik"]
    assert "13 digits" in errors["nib"]
    assert "greater than or equal to 0" in errors["capital"]
    assert f"between 1900 and {date.today().year}" in errors["founding_year"]
    assert "kota-mojokerto" in errors["centre_id"]


def test_the_email_channel_requires_an_email():
    assert "email is required" in _errors(preferred_channel="email")["email"]


def test_a_missing_required_field_is_named():
    data = dict(VALID)
    del data["nik"]
    with pytest.raises(ValidationError) as caught:
        RegisterEnterprise.model_validate(data)
    assert caught.value.errors()[0]["loc"] == ("nik",)


def test_unknown_fields_are_refused():
    assert "extra" in _errors(favourite_colour="blue")["favourite_colour"].lower()


def test_a_command_becomes_a_registered_enterprise():
    at = datetime(2025, 1, 2, tzinfo=UTC)
    umkm = enterprise_from_command(RegisterEnterprise.model_validate(VALID), umkm_id=UMKM_ID, at=at)
    [event] = umkm.pull_events()
    assert isinstance(event, UmkmRegistered)
    assert event.scale_class is ScaleClass.MICRO
    assert umkm.consents[ConsentPurpose.MARKETING].granted
    assert not umkm.consents[ConsentPurpose.FINANCING_PARTNERS].granted


def test_updating_financials_needs_at_least_one_figure():
    with pytest.raises(ValidationError, match="give capital, annual_sales or both"):
        UpdateFinancials()
    assert UpdateFinancials(annual_sales=3_000_000_000).capital is None


def test_a_profile_correction_lists_only_the_fields_sent():
    command = CorrectProfile.model_validate({"phone": "0812 3456 7890", "email": None})
    assert command.changes() == {"phone": "+6281234567890", "email": None}


def test_a_profile_correction_cannot_blank_a_required_field():
    with pytest.raises(ValidationError, match="owner_name is required"):
        CorrectProfile.model_validate({"owner_name": None})
    with pytest.raises(ValidationError, match="preferred_channel is required"):
        CorrectProfile.model_validate({"preferred_channel": None})
    assert CorrectProfile.model_validate({"language": "EN"}).changes() == {"language": "en"}


def test_a_consent_command_names_its_purpose():
    command = SetConsent.model_validate({"purpose": "marketing", "granted": False})
    assert (command.purpose, command.source) == (ConsentPurpose.MARKETING, "officer")
    with pytest.raises(ValidationError):
        SetConsent.model_validate({"purpose": "telemarketing", "granted": True})
