"""AsyncAPI documents: what each service publishes and consumes, for partners and peers.

FastStream generates the document from the broker's subscribers and
publishers. Publishers are registered here only to document each event type a
service produces, with the full envelope and its typed payload as the schema;
actual publishing goes through `EventPublisher`.
"""

from __future__ import annotations

import json

from faststream.rabbit import RabbitBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel, Field, create_model

from plut_shared.contracts import Envelope, event_types, payload_model
from plut_shared.messaging.publisher import EVENTS


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
        "it consumes. Every message is a JSON envelope (see DESIGN: event contract).",
    )
    document = spec.to_specification().to_jsonable()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
