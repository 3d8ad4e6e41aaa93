"""Generated requests from the OpenAPI document: no 5xx, every answer as documented."""

from __future__ import annotations

import asyncio
import uuid

from pymongo import AsyncMongoClient
from training.bootstrap import create_app
from training.config import TrainingSettings

from tests.component.registration.examples import PRINCIPALS, token_registry
from tests.component.training.support import RETRY_DELAYS_MS
from tests.support import openapi_fuzz
from tests.support.live_server import serving

# Per operation and mode (fitting / not fitting the document).
MAX_EXAMPLES = 15


async def test_the_training_api_answers_as_its_openapi_document_says(
    infra, service_urls: dict[str, str], broker_user_prefix: str, mongo_client: AsyncMongoClient
):
    database = f"test_fuzz_{uuid.uuid4().hex[:8]}"
    settings = TrainingSettings(
        amqp_url=service_urls["training"],
        broker_user_prefix=broker_user_prefix,
        mongo_url=infra.mongo_url,
        database=database,
        retry_delays_ms=RETRY_DELAYS_MS,
    )
    try:
        with serving(create_app(settings, token_registry())) as base_url:
            schema = openapi_fuzz.load(base_url, PRINCIPALS["officer"][0])
            outcome = await asyncio.to_thread(openapi_fuzz.run, schema, max_examples=MAX_EXAMPLES)
    finally:
        await mongo_client.drop_database(database)

    assert outcome.failures == [], "\n\n".join(outcome.failures)
    assert outcome.statuses[200] > 0 and outcome.statuses[422] > 0, outcome.statuses
