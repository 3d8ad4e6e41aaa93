"""At the partner boundary no trace context leaves, and none that arrives is believed."""

from __future__ import annotations

import json

import aio_pika
from opentelemetry.trace import SpanKind
from partner_example.replies import REPLIES_EXCHANGE, decision

from tests.component.financing.service import FinancingRun
from tests.component.notifications.service import OFFICER, BrokerAccess, bearer
from tests.support.event_probe import EventProbe
from tests.support.partner_access import PartnerSession
from tests.support.spans import RecordedSpans, attribute_values, named, trace_id_of
from tests.support.waiting import eventually

OFFICERS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARTNERS_TRACE = "0af7651916cd43dd8448eb211c80319c"


async def test_an_offer_leaves_without_trace_headers_and_a_partners_context_is_not_believed(
    financing: FinancingRun, onboard, fin_broker: BrokerAccess, spans: RecordedSpans
) -> None:
    url = onboard("bank-jatim")
    umkm_id = await financing.register()
    async with EventProbe(fin_broker.admin_url, ["financing.#"]) as probe:
        answer = await financing.http.post(
            "/referrals",
            json={"umkm_id": umkm_id, "scheme": "kur_mikro", "amount": 50_000_000},
            headers={**bearer(OFFICER), "traceparent": f"00-{OFFICERS_TRACE}-00f067aa0ba902b7-01"},
        )
        assert answer.status_code == 201, answer.text
        [forwarded] = await probe.wait_for(lambda e: e.event_type.endswith(".forwarded"))
    # Inside the platform the referral's events carry the officer's trace on ...
    assert probe.headers[forwarded.event_id]["traceparent"].startswith(f"00-{OFFICERS_TRACE}-")
    [offered] = await spans.wait_for(named("publish partner.referral.offered", OFFICERS_TRACE))
    assert (offered.attributes or {})["messaging.destination.name"] == "plut.partners"

    async with PartnerSession(url, "bank-jatim") as partner:
        channel = await partner.channel()
        queue = await channel.get_queue("partner.bank-jatim.referrals", ensure=False)
        raw_offer = await eventually(lambda: queue.get(fail=False), lambda m: m is not None)
        assert raw_offer is not None
        await raw_offer.ack()
        # ... but the partner sees none of it.
        assert not {"traceparent", "tracestate"} & set(raw_offer.headers)
        assert set(raw_offer.headers) <= {"x-plut-centre", "x-delivery-count"}  # broker's own
        offer = json.loads(raw_offer.body)
        reply = decision(offer, "bank-jatim", approve_up_to=100_000_000)
        replies = await channel.get_exchange(REPLIES_EXCHANGE, ensure=False)
        await replies.publish(
            aio_pika.Message(
                reply.body,
                message_id=reply.event_id,
                type=reply.event_type,
                correlation_id=reply.correlation_id,
                content_type="application/json",
                user_id=partner.user,
                headers={"traceparent": f"00-{PARTNERS_TRACE}-b7ad6b7169203331-01"},
            ),
            routing_key=reply.routing_key,
            mandatory=True,
        )
    await financing.status_becomes(offer["payload"]["referral_id"], "approved")
    [consumed] = await spans.wait_for(
        lambda s: (
            s.kind is SpanKind.CONSUMER
            and (s.attributes or {}).get("messaging.message.id") == reply.event_id
        )
    )
    assert consumed.parent is None and trace_id_of(consumed) != PARTNERS_TRACE
    assert spans.of_trace(PARTNERS_TRACE) == []
    nik = offer["payload"]["applicant"]["nik"]
    assert not [value for value in attribute_values(spans.all()) if nik in value]
