"""Generated requests from the financing OpenAPI document: no 5xx, every answer as documented."""

from __future__ import annotations

import asyncio

from financing.bootstrap import create_app

from tests.component.financing.service import settings_for
from tests.component.notifications.service import OFFICER, BrokerAccess, token_registry
from tests.support import openapi_fuzz
from tests.support.live_server import serving

# Per operation and mode (fitting / not fitting the document); a few seconds on 2 busy cores.
MAX_EXAMPLES = 25


async def test_the_financing_api_answers_as_its_openapi_document_says(
    infra, fin_broker: BrokerAccess, database_name: str
) -> None:
    settings = settings_for(fin_broker, infra.mongo_url, database_name)
    with serving(create_app(settings, token_registry())) as base_url:
        schema = openapi_fuzz.load(base_url, OFFICER)
        outcome = await asyncio.to_thread(openapi_fuzz.run, schema, max_examples=MAX_EXAMPLES)

    assert outcome.failures == [], "\n\n".join(outcome.failures)
    assert outcome.statuses[200] > 0 and outcome.statuses[404] > 0, outcome.statuses
