from __future__ import annotations

from notifications.domain.channels import channel_order
from plut_shared.contracts.registration import Channel

from tests.unit.notifications.examples import contact

WA, SMS, EMAIL = Channel.WHATSAPP, Channel.SMS, Channel.EMAIL


def test_the_preferred_channel_comes_first_then_the_usual_fallbacks():
    assert channel_order(contact(preferred_channel=EMAIL)) == [EMAIL, WA, SMS]
    assert channel_order(contact(preferred_channel=SMS)) == [SMS, WA, EMAIL]


def test_whatsapp_first_owners_fall_back_to_sms_then_email():
    assert channel_order(contact(preferred_channel=WA)) == [WA, SMS, EMAIL]


def test_a_channel_the_owner_opted_out_of_is_skipped_even_if_preferred():
    owner = contact(preferred_channel=WA)
    owner.opt_out(WA)
    assert channel_order(owner) == [SMS, EMAIL]


def test_opting_back_in_restores_the_channel():
    owner = contact(preferred_channel=WA)
    owner.opt_out(WA)
    owner.opt_in(WA)
    assert channel_order(owner) == [WA, SMS, EMAIL]


def test_an_owner_without_email_is_reached_by_phone_only():
    assert channel_order(contact(email=None, preferred_channel=EMAIL)) == [WA, SMS]


def test_an_owner_with_only_an_email_is_reached_by_email():
    owner = contact()
    owner.update_profile({"phone": None})
    assert channel_order(owner) == [EMAIL]


def test_an_erased_owner_is_not_reached_at_all():
    owner = contact()
    owner.erase()
    assert channel_order(owner) == []
