from __future__ import annotations

import pytest
from notifications.adapters.channels import (
    EmailChannel,
    PermanentDeliveryError,
    SmsChannel,
    SmtpSettings,
    TransientDeliveryError,
    WhatsAppChannel,
    provider_client,
)
from notifications.domain.rendering import RenderedMessage

from tests.support.notification_sinks import free_port

MESSAGE = RenderedMessage(
    subject="Selamat, Batik A & B naik kelas!",
    body="Selamat, Batik A & B naik kelas dari Mikro menjadi Kecil!",
)
PHONE = "+6281234567890"
EMAIL = "siti@example.id"


def email_channel(port: int) -> EmailChannel:
    return EmailChannel(SmtpSettings(host="127.0.0.1", port=port, from_address="plut@example.id"))


# --- email -------------------------------------------------------------------


async def test_an_email_reaches_the_smtp_server_with_subject_and_body(smtp_sink):
    receipt = await email_channel(smtp_sink.port).send(EMAIL, MESSAGE, idempotency_key="msg-1")
    [received] = await smtp_sink.wait_for(1)
    assert received.rcpt_tos == (EMAIL,)
    assert received.subject == MESSAGE.subject
    assert received.body == MESSAGE.body
    assert received.message["Message-ID"] == "<msg-1@example.id>"
    assert receipt.channel == "email"
    assert receipt.provider_message_id == "<msg-1@example.id>"


async def test_a_mailbox_that_does_not_exist_is_a_permanent_failure(smtp_sink):
    smtp_sink.reject_recipients("550 5.1.1 No such user")
    with pytest.raises(PermanentDeliveryError, match="550") as raised:
        await email_channel(smtp_sink.port).send(EMAIL, MESSAGE, idempotency_key="msg-2")
    assert EMAIL not in str(raised.value)
    assert smtp_sink.received == []


async def test_a_server_asking_to_try_later_is_a_transient_failure(smtp_sink):
    smtp_sink.reject_recipients("451 4.3.0 Try again later")
    with pytest.raises(TransientDeliveryError, match="451"):
        await email_channel(smtp_sink.port).send(EMAIL, MESSAGE, idempotency_key="msg-3")


async def test_an_smtp_server_that_is_down_is_a_transient_failure():
    with pytest.raises(TransientDeliveryError, match="unreachable"):
        await email_channel(free_port()).send(EMAIL, MESSAGE, idempotency_key="msg-4")


async def test_a_malformed_email_address_fails_permanently_without_connecting():
    with pytest.raises(PermanentDeliveryError, match="malformed"):
        await email_channel(free_port()).send("not-an-address", MESSAGE, idempotency_key="m")


# --- WhatsApp and SMS ----------------------------------------------------------


@pytest.mark.parametrize(
    ("adapter", "channel"), [(WhatsAppChannel, "whatsapp"), (SmsChannel, "sms")]
)
async def test_a_message_is_posted_to_the_provider_with_an_idempotency_key(
    provider, provider_http, adapter, channel
):
    receipt = await adapter(provider_http).send(PHONE, MESSAGE, idempotency_key="msg-10")
    [request] = await provider.wait_for(1)
    assert request.json == {
        "channel": channel,
        "to": PHONE,
        "text": MESSAGE.body,
        "idempotency_key": "msg-10",
    }
    assert request.authorization == f"Bearer {provider.token}"
    assert receipt.channel == channel
    assert receipt.provider_message_id is not None
    assert receipt.provider_message_id.startswith("wamid-")


async def test_a_retried_message_reaches_the_owner_once(provider, provider_http):
    channel = WhatsAppChannel(provider_http)
    first = await channel.send(PHONE, MESSAGE, idempotency_key="msg-11")
    second = await channel.send(PHONE, MESSAGE, idempotency_key="msg-11")
    assert first.provider_message_id == second.provider_message_id
    assert len(provider.requests) == 2
    assert len(provider.delivered) == 1


async def test_a_provider_outage_is_a_transient_failure(provider, provider_http):
    provider.fail_next(503)
    with pytest.raises(TransientDeliveryError, match="503"):
        await WhatsAppChannel(provider_http).send(PHONE, MESSAGE, idempotency_key="msg-12")
    assert provider.delivered == []


async def test_a_rejected_message_is_a_permanent_failure(provider, provider_http):
    provider.fail_next(400)
    with pytest.raises(PermanentDeliveryError, match="400") as raised:
        await SmsChannel(provider_http).send(PHONE, MESSAGE, idempotency_key="msg-13")
    assert PHONE not in str(raised.value)


async def test_rate_limiting_is_transient_and_says_when_to_come_back(provider, provider_http):
    provider.fail_next(429, retry_after=30)
    with pytest.raises(TransientDeliveryError) as raised:
        await WhatsAppChannel(provider_http).send(PHONE, MESSAGE, idempotency_key="msg-14")
    assert raised.value.retry_after == 30


async def test_a_wrong_token_waits_for_the_operator_instead_of_dropping_the_message(provider):
    async with provider_client(provider.base_url, "wrong-token") as client:
        with pytest.raises(TransientDeliveryError, match="401"):
            await WhatsAppChannel(client).send(PHONE, MESSAGE, idempotency_key="msg-15")


async def test_a_provider_that_does_not_answer_in_time_is_a_transient_failure(provider):
    provider.delay_next(1.0)
    async with provider_client(provider.base_url, provider.token, timeout=0.2) as client:
        with pytest.raises(TransientDeliveryError, match="Timeout"):
            await SmsChannel(client).send(PHONE, MESSAGE, idempotency_key="msg-16")


async def test_a_provider_that_is_down_is_a_transient_failure():
    async with provider_client(f"http://127.0.0.1:{free_port()}", "token") as client:
        with pytest.raises(TransientDeliveryError, match="unreachable"):
            await WhatsAppChannel(client).send(PHONE, MESSAGE, idempotency_key="msg-17")


@pytest.mark.parametrize("bad", ["081234567890", "+62 812-3456-7890", ""])
async def test_a_number_not_in_e164_fails_permanently_without_calling_the_provider(
    provider, provider_http, bad
):
    with pytest.raises(PermanentDeliveryError, match=r"E\.164"):
        await WhatsAppChannel(provider_http).send(bad, MESSAGE, idempotency_key="msg-18")
    assert provider.requests == []


async def test_no_address_or_message_text_reaches_the_logs(
    provider, provider_http, smtp_sink, caplog
):
    caplog.set_level("DEBUG")
    await WhatsAppChannel(provider_http).send(PHONE, MESSAGE, idempotency_key="msg-19")
    await email_channel(smtp_sink.port).send(EMAIL, MESSAGE, idempotency_key="msg-20")
    # The SMTP sink's own server log ("mail.log") is the far side, not our code.
    ours = [record for record in caplog.records if record.name != "mail.log"]
    logged = " ".join(f"{record.getMessage()} {vars(record)}" for record in ours)
    assert "msg-19" in logged
    for secret in (PHONE, EMAIL, MESSAGE.body, MESSAGE.subject):
        assert secret not in logged
