from __future__ import annotations

import pytest
from notifications.domain.contacts import Contact, ContactErased
from plut_shared.contracts.registration import Channel, Language

from tests.unit.notifications.examples import CENTRE, UMKM_ID, contact, registered

PERSONAL = ("Siti Rahayu", "Sepatu Maja Citra", "+6281234567890", "siti@example.id")


def erased_contact() -> Contact:
    owner = contact()
    owner.erase()
    return owner


def test_a_contact_is_built_from_the_registration_event():
    owner = Contact.from_registered(registered(), CENTRE)
    assert (owner.umkm_id, owner.centre_id) == (UMKM_ID, CENTRE)
    assert owner.phone == "+6281234567890"
    assert owner.email == "siti@example.id"
    assert owner.preferred_channel is Channel.WHATSAPP
    assert owner.language is Language.ID
    assert owner.address(Channel.SMS) == owner.phone
    assert owner.address(Channel.EMAIL) == owner.email


def test_a_profile_update_changes_only_the_fields_it_names():
    owner = contact()
    owner.update_profile(
        {"phone": "+6285700000000", "language": "en", "preferred_channel": "email"}
    )
    assert owner.phone == "+6285700000000"
    assert owner.language is Language.EN
    assert owner.preferred_channel is Channel.EMAIL
    assert owner.email == "siti@example.id"


def test_fields_that_are_not_contact_details_are_ignored():
    owner = contact()
    owner.update_profile({"sector": "culinary", "nik": "3576014101900002"})
    assert owner == contact()


def test_a_removed_email_is_stored_as_none():
    owner = contact()
    owner.update_profile({"email": ""})
    assert owner.email is None


def test_a_bad_value_names_the_field_but_not_the_value_and_changes_nothing():
    owner = contact()
    with pytest.raises(ValueError, match="preferred_channel") as raised:
        owner.update_profile({"phone": "+6285700000000", "preferred_channel": "+6281111111111"})
    assert "+6281111111111" not in str(raised.value)
    assert owner == contact()


def test_an_owner_name_cannot_be_blanked():
    with pytest.raises(ValueError, match="owner_name"):
        contact().update_profile({"owner_name": ""})


def test_erasure_purges_every_piece_of_personal_data():
    erased = erased_contact()
    assert erased.is_erased
    assert (erased.umkm_id, erased.centre_id) == (UMKM_ID, CENTRE)
    for value in PERSONAL:
        assert value not in repr(vars(erased))
    assert erased.address(Channel.WHATSAPP) is None
    assert erased.address(Channel.EMAIL) is None


def test_a_late_profile_update_does_not_bring_erased_data_back():
    erased = erased_contact()
    erased.update_profile({"phone": "+6281234567890", "owner_name": "Siti"})
    assert erased == erased_contact()


def test_a_late_registration_does_not_bring_erased_data_back():
    erased = erased_contact()
    erased.register(registered())
    assert erased == erased_contact()


def test_an_owner_erased_before_registering_is_a_tombstone():
    tombstone = Contact.tombstone(UMKM_ID, CENTRE)
    assert tombstone.is_erased
    assert tombstone.address(Channel.SMS) is None


def test_an_erased_owner_has_no_channel_preferences_to_set():
    with pytest.raises(ContactErased):
        erased_contact().opt_out(Channel.SMS)
    with pytest.raises(ContactErased):
        erased_contact().opt_in(Channel.SMS)


def test_a_contact_in_a_log_line_shows_no_personal_data():
    text = repr(contact())
    assert UMKM_ID in text
    for value in PERSONAL:
        assert value not in text
