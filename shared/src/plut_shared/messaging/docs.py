"""AsyncAPI documents: what each service publishes and consumes, for partners and peers.

FastStream generates the document from the broker's subscribers and
publishers. Publishers are registered here only to document each event type a
service produces, with the full envelope and its typed payload as the schema;
actual publishing goes through `EventPublisher`.
"""

from __future__ import annotations

import json

from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange
from faststream.specification import AsyncAPI
from pydantic import BaseModel, Field, create_model

from plut_shared.contracts import Envelope, event_types, payload_model
from plut_shared.messaging.partners import PARTNER_REPLIES_EXCHANGE, is_partner_facing
from plut_shared.messaging.publisher import EVENTS, PARTNERS

# Replies partners publish; every other partner-stream event goes from the platform to them.
PARTNER_REPLIES = frozenset({"partner.referral.decided", "partner.referral.disbursed"})
REPLIES = RabbitExchange(PARTNER_REPLIES_EXCHANGE, type=ExchangeType.TOPIC, durable=True)
PARTNER_DESCRIPTION = """\
The partner stream of the PLUT platform, for banks and LPDB (README, "Partner stream").
Each partner connects as its own broker user (made by `plut partners add`, which prints
its URL once) on the vhost `plut`. It may only read its queue `partner.{partner_id}.referrals`,
which receives the platform's messages routed to it on `plut.partners`, and only publish on
`plut.partner-replies` under routing keys `partner.{partner_id}.referral.<verb>`. It can
declare and bind nothing. Every message is a JSON envelope (`event_id`, also the AMQP
`message_id`; `event_type`, also the AMQP `type`; `producer`; `centre_id`; `subject_id`,
the referral id; `correlation_id`; `payload`). In a reply, `producer` is the partner id,
the AMQP `user_id` is the partner's broker user (the broker refuses any other), and a
decision is accepted only for a referral routed to that partner: anything else is parked.
"""


def envelope_schema(event_type: str, version: int) -> type[BaseModel]:
    payload = payload_model(event_type, version)
    return create_model(
        f"{payload.__name__}Event",
        __base__=Envelope,
        __doc__=f"`{event_type}` v{version}: the envelope with its typed payload.",
        payload=(payload, Field(description=f"Body of `{event_type}`.")),
    )


def document_publications(broker: RabbitBroker, service: str) -> None:
    """Describe every event type whose name starts with the service's name."""
    for event_type, version in event_types():
        if not event_type.startswith(f"{service}."):
            continue
        broker.publisher(
            exchange=EVENTS,
            routing_key=event_type,
            title=f"{event_type}:v{version}",
            description=(payload_model(event_type, version).__doc__ or "").strip() or None,
            schema=envelope_schema(event_type, version),
            persist=True,
        )


def asyncapi_json(broker: RabbitBroker, service: str) -> str:
    spec = AsyncAPI(
        broker,
        title=f"PLUT {service} service",
        version="1.0.0",
        description=f"Events the {service} service publishes on `plut.events` and the queues "
        "it consumes. Every message is a JSON envelope (see the README, 'Event contract').",
    )
    document = spec.to_specification().to_jsonable()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def partner_asyncapi_json() -> str:
    """The partners' document: what they receive and what they may answer."""
    broker = RabbitBroker("amqp://rabbitmq:5672/plut", specification_url="amqp://rabbitmq:5672/")
    for event_type, version in event_types():
        if not is_partner_facing(event_type):
            continue
        reply = event_type in PARTNER_REPLIES
        entity_and_verb = event_type.partition(".")[2]
        model = payload_model(event_type, version)
        direction = "partner to platform" if reply else "platform to partner"
        broker.publisher(
            exchange=REPLIES if reply else PARTNERS,
            routing_key=f"partner.{{partner_id}}.{entity_and_verb}",
            title=f"{event_type}:v{version} ({direction})",
            description=(model.__doc__ or "").strip() or None,
            schema=envelope_schema(event_type, version),
            persist=True,
        )
    spec = AsyncAPI(
        broker, title="PLUT partner stream", version="1.0.0", description=PARTNER_DESCRIPTION
    )
    document = spec.to_specification().to_jsonable()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
