from __future__ import annotations

from datetime import UTC, datetime

import pytest
from plut_shared.contracts import event_type_of
from plut_shared.contracts.registration import (
    Channel,
    ScaleBasis,
    ScaleClass,
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
    UmkmScaleChanged,
)
from registration.domain.enterprise import Enterprise, new_umkm_id
from registration.domain.errors import DomainValidationError, EnterpriseErased
from registration.domain.profile import ConsentPurpose
from registration.domain.snapshot import from_document, to_document

from tests.unit.registration.examples import (
    CENTRE,
    PHONE,
    REGISTERED_AT,
    TODAY,
    UMKM_ID,
    WOMAN_NIK,
    business,
    enterprise,
    owner,
)

LATER = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)


def test_registration_classes_by_capital_and_records_one_registered_event():
    umkm = Enterprise.register(
        umkm_id=UMKM_ID,
        centre_id=CENTRE,
        owner=owner(),
        business=business(),
        capital=2_000_000_000,
        annual_sales=1_000_000_000,
        consents={ConsentPurpose.MARKETING: True},
        at=REGISTERED_AT,
    )
    [event] = umkm.pull_events()
    assert isinstance(event, UmkmRegistered)
    assert event.scale_class is ScaleClass.SMALL  # capital, not the micro-sized sales
    assert event.phone == PHONE  # normalised on the way in
    assert (event.consents.marketing, event.consents.financing_partners) == (True, False)
    assert event.nik == WOMAN_NIK
    assert umkm.version == 1
    assert umkm.pull_events() == []


def test_registration_rejects_an_email_channel_without_an_email():
    with pytest.raises(DomainValidationError) as caught:
        Enterprise.register(
            umkm_id=UMKM_ID,
            centre_id=CENTRE,
            owner=owner(email=None, preferred_channel=Channel.EMAIL),
            business=business(),
            capital=1,
            at=REGISTERED_AT,
        )
    assert caught.value.field == "email"


def test_registration_rejects_an_unknown_centre():
    with pytest.raises(DomainValidationError, match="unknown PLUT centre"):
        Enterprise.register(
            umkm_id=UMKM_ID,
            centre_id="surabaya",
            owner=owner(),
            business=business(),
            capital=1,
            at=REGISTERED_AT,
        )


def test_new_umkm_ids_are_uuid7_and_sort_by_creation():
    first, second = new_umkm_id(), new_umkm_id()
    assert first[14] == "7"
    assert first != second


def test_higher_sales_make_a_micro_business_naik_kelas():
    umkm = enterprise(capital=500_000_000, annual_sales=1_500_000_000)
    umkm.update_financials(annual_sales=3_000_000_000, today=TODAY)
    updated, changed = umkm.pull_events()
    assert isinstance(updated, UmkmProfileUpdated)
    assert updated.changed == {"annual_sales": 3_000_000_000}
    assert isinstance(changed, UmkmScaleChanged)
    assert (changed.from_class, changed.to_class) == (ScaleClass.MICRO, ScaleClass.SMALL)
    assert changed.basis is ScaleBasis.SALES
    assert changed.effective_date == TODAY
    assert changed.naik_kelas is True
    assert umkm.scale_class is ScaleClass.SMALL


def test_a_drop_in_sales_is_a_scale_change_that_is_not_naik_kelas():
    umkm = enterprise(capital=2_000_000_000, annual_sales=3_000_000_000)
    umkm.update_financials(annual_sales=1_000_000_000, today=TODAY)
    changed = umkm.pull_events()[-1]
    assert isinstance(changed, UmkmScaleChanged)
    assert (changed.from_class, changed.to_class) == (ScaleClass.SMALL, ScaleClass.MICRO)
    assert changed.naik_kelas is False


def test_new_figures_in_the_same_class_change_the_profile_but_not_the_class():
    umkm = enterprise(capital=500_000_000, annual_sales=1_500_000_000)
    umkm.update_financials(capital=600_000_000, annual_sales=1_800_000_000, today=TODAY)
    [event] = umkm.pull_events()
    assert isinstance(event, UmkmProfileUpdated)
    assert event.changed == {"capital": 600_000_000, "annual_sales": 1_800_000_000}


def test_the_same_figures_again_record_nothing():
    umkm = enterprise(capital=500_000_000, annual_sales=1_500_000_000)
    umkm.update_financials(annual_sales=1_500_000_000, today=TODAY)
    assert umkm.pull_events() == []
    assert umkm.version == 1


def test_negative_figures_are_rejected_and_change_nothing():
    umkm = enterprise()
    with pytest.raises(DomainValidationError) as caught:
        umkm.update_financials(capital=1, annual_sales=-5, today=TODAY)
    assert caught.value.field == "annual_sales"
    assert (umkm.capital, umkm.pull_events()) == (500_000_000, [])


def test_a_correction_records_only_the_fields_that_changed():
    umkm = enterprise()
    umkm.correct(phone="0812 3456 7890", email="siti.baru@example.id", village="Blooto")
    [event] = umkm.pull_events()
    assert isinstance(event, UmkmProfileUpdated)
    assert event.changed == {"email": "siti.baru@example.id", "village": "Blooto"}
    assert umkm.business.address.village == "Blooto"
    assert umkm.version == 2


def test_a_correction_with_one_bad_field_changes_nothing():
    umkm = enterprise()
    with pytest.raises(DomainValidationError) as caught:
        umkm.correct(business_name="Sepatu Baru", nik="123")
    assert caught.value.field == "nik"
    assert umkm.business.name == "UD Sepatu Maja Citra"
    assert umkm.pull_events() == []


def test_an_email_cannot_be_removed_while_it_is_the_preferred_channel():
    umkm = enterprise()
    umkm.correct(preferred_channel="email")
    with pytest.raises(DomainValidationError, match="email is required"):
        umkm.correct(email=None)


def test_capital_is_not_corrected_through_the_profile():
    with pytest.raises(DomainValidationError, match="not a profile field"):
        enterprise().correct(capital=1)


def test_withdrawing_consent_records_the_new_flags_and_source():
    umkm = enterprise()
    umkm.set_consent(ConsentPurpose.FINANCING_PARTNERS, False, "officer", LATER)
    [event] = umkm.pull_events()
    assert isinstance(event, UmkmConsentChanged)
    assert (event.consents.financing_partners, event.source) == (False, "officer")
    record = umkm.consents[ConsentPurpose.FINANCING_PARTNERS]
    assert (record.granted, record.at, record.source) == (False, LATER, "officer")


def test_giving_a_consent_already_given_records_nothing():
    umkm = enterprise()
    umkm.set_consent("financing_partners", True, "form", LATER)
    assert umkm.pull_events() == []
    assert umkm.consents[ConsentPurpose.FINANCING_PARTNERS].at == REGISTERED_AT


def test_an_unknown_consent_purpose_is_rejected():
    with pytest.raises(DomainValidationError, match="purpose must be one of"):
        enterprise().set_consent("selling_data", True, "form", LATER)


def test_erasure_removes_personal_data_and_keeps_statistics():
    umkm = enterprise()
    umkm.erase(LATER)
    [event] = umkm.pull_events()
    assert event == UmkmErased(umkm_id=UMKM_ID)
    exported = umkm.export()
    assert exported["owner"] is None
    assert (umkm.business.name, umkm.business.nib, umkm.business.address.village) == (
        None,
        None,
        None,
    )
    assert umkm.business.address.district == "Prajurit Kulon"
    assert (umkm.business.sector, umkm.scale_class, umkm.capital) == (
        "alas kaki",
        ScaleClass.MICRO,
        500_000_000,
    )
    assert not any(record.granted for record in umkm.consents.values())
    for personal in (WOMAN_NIK, PHONE, "Siti", "siti@example.id", "Maja Citra"):
        assert personal not in repr(exported)


def test_an_erased_enterprise_refuses_every_change():
    umkm = enterprise()
    umkm.erase(LATER)
    with pytest.raises(EnterpriseErased):
        umkm.correct(owner_name="Siti")
    with pytest.raises(EnterpriseErased):
        umkm.update_financials(annual_sales=1, today=TODAY)
    with pytest.raises(EnterpriseErased):
        umkm.set_consent(ConsentPurpose.MARKETING, True, "form", LATER)


def test_erasing_twice_records_one_event():
    umkm = enterprise()
    umkm.erase(LATER)
    umkm.erase(LATER)
    assert len(umkm.pull_events()) == 1


def test_the_export_holds_all_of_the_owner_s_data():
    exported = enterprise().export()
    assert exported["owner"] == {
        "name": "Siti Rahayu",
        "nik": WOMAN_NIK,
        "phone": PHONE,
        "email": "siti@example.id",
        "preferred_channel": "whatsapp",
        "language": "id",
    }
    assert exported["business"]["address"]["village"] == "Surodinawan"
    assert exported["consents"]["financing_partners"] == {
        "granted": True,
        "at": REGISTERED_AT.isoformat(),
        "source": "form",
    }


def test_a_stored_document_rebuilds_the_same_enterprise():
    umkm = enterprise()
    umkm.update_financials(annual_sales=3_000_000_000, today=TODAY)
    umkm.pull_events()
    rebuilt = from_document(to_document(umkm))
    assert rebuilt.export() == umkm.export()
    assert rebuilt.version == umkm.version == 2


def test_every_recorded_event_is_a_registered_contract():
    umkm = enterprise()
    umkm.update_financials(annual_sales=3_000_000_000, today=TODAY)
    umkm.set_consent(ConsentPurpose.MARKETING, True, "form", LATER)
    umkm.erase(LATER)
    types = [event_type_of(event)[0] for event in umkm.pull_events()]
    assert types == [
        "registration.umkm.profile_updated",
        "registration.umkm.scale_changed",
        "registration.umkm.consent_changed",
        "registration.umkm.erased",
    ]
