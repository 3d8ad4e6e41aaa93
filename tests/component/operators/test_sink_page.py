"""The local message page lists what notifications' real channel adapters sent, masked."""

from __future__ import annotations

import httpx
from notifications.adapters.channels import (
    EmailChannel,
    SmsChannel,
    SmtpSettings,
    WhatsAppChannel,
    provider_client,
)
from notifications.domain.rendering import render

from tests.support.notification_sinks import Mailbox, ProviderSink, SmtpSink

OWNER = {"owner_name": "Dewi Astuti", "business_name": "UD Sepatu Kulit Wilwatikta"}
PHONE = "+6281234565678"


async def test_the_page_lists_messages_sent_through_the_real_channels_with_recipients_masked():
    welcome = render("welcome", "id", OWNER)
    mailbox = Mailbox()
    with SmtpSink(mailbox=mailbox) as smtp, ProviderSink("sink-token", mailbox=mailbox) as sink:
        async with provider_client(sink.base_url, "sink-token") as client:
            await WhatsAppChannel(client).send(PHONE, welcome, idempotency_key="m-1")
            await WhatsAppChannel(client).send(PHONE, welcome, idempotency_key="m-1")  # a retry
            await SmsChannel(client).send("+6285712340001", welcome, idempotency_key="m-2")
        email = EmailChannel(SmtpSettings("127.0.0.1", smtp.port, "plut@example.id"))
        await email.send("dewi@example.com", welcome, idempotency_key="m-3")
        await smtp.wait_for(1)

        async with httpx.AsyncClient(base_url=sink.base_url) as http:
            page = (await http.get("/")).text
            rows = (await http.get("/messages.json")).json()

    assert [row["channel"] for row in rows] == ["email", "sms", "whatsapp"]  # newest first
    assert [row["recipient"] for row in rows] == [
        "d***@example.com",
        "+62857****0001",
        "+62812****5678",
    ]
    assert rows[0]["subject"] == "Selamat datang di PLUT, UD Sepatu Kulit Wilwatikta"
    assert all(row["received_at"].endswith(" WIB") for row in rows)
    assert "Halo Bapak/Ibu Dewi Astuti, selamat datang di PLUT!" in rows[2]["text"]
    assert "+62812****5678" in page and "WhatsApp" in page
    assert "Halo Bapak/Ibu Dewi Astuti" in page
    for full in (PHONE, "+6285712340001", "dewi@example.com"):
        assert full not in page
