"""Every metric the Grafana dashboard queries is one the running services expose.

All four services start against the real broker and store (a vhost and
databases of their own); their `/metrics` answers are the reference, so a
renamed metric or a typo in the dashboard fails here, not on an operator's
empty panel.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from financing.bootstrap import create_app as create_financing
from financing.config import FinancingSettings
from notifications.bootstrap import create_app as create_notifications
from notifications.config import NotificationsSettings
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings
from training.bootstrap import create_app as create_training
from training.config import TrainingSettings

from tests.component.registration.examples import token_registry
from tests.support.in_process import serving
from tests.support.scrape import Scrape

DASHBOARDS = (
    Path(__file__).resolve().parents[3] / "deploy" / "monitoring" / "grafana" / "dashboards"
)
METRICS_TOKEN = "metrics-token-of-this-test"
# Series Prometheus makes itself, not the services.
PROMETHEUS_OWN = {"up"}

SERVICES: dict[str, tuple[Any, Any]] = {
    "registration": (create_registration, RegistrationSettings),
    "training": (create_training, TrainingSettings),
    "financing": (create_financing, FinancingSettings),
    "notifications": (create_notifications, NotificationsSettings),
}


@pytest.fixture
def service_urls_of_own_vhost(vhost_admin) -> Iterator[tuple[dict[str, str], str]]:
    name = vhost_admin.create("plut-dashboard")
    yield {s: vhost_admin.service_url(name, s) for s in vhost_admin.passwords}, name
    vhost_admin.delete(name)


@pytest.fixture
async def exposed_names(
    infra, service_urls_of_own_vhost, vhost_admin, mongo_client
) -> AsyncIterator[set[str]]:
    urls, _ = service_urls_of_own_vhost
    databases = {service: f"test_{service[:5]}_{uuid.uuid4().hex[:8]}" for service in SERVICES}
    names: set[str] = set()
    try:
        async with contextlib.AsyncExitStack() as stack:
            for service, (create_app, settings_class) in SERVICES.items():
                settings = settings_class(
                    amqp_url=urls[service],
                    broker_user_prefix=vhost_admin.user_prefix,
                    mongo_url=infra.mongo_url,
                    database=databases[service],
                    metrics_token=METRICS_TOKEN,
                )
                api = await stack.enter_async_context(
                    serving(create_app(settings, token_registry()))
                )
                names |= (await scrape(api)).series_names()
        yield names
    finally:
        for database in databases.values():
            await mongo_client.drop_database(database)


async def scrape(api: httpx.AsyncClient) -> Scrape:
    response = await api.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200, response.text
    return Scrape(response.text)


def metric_names(expression: str) -> set[str]:
    """The series names a PromQL expression selects (labels, ranges and functions removed)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)  # string literals
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text)  # label matchers, ranges
    identifiers = re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()", text)
    keywords = {"and", "or", "unless", "bool", "offset"}
    return {m.group(1) for m in identifiers if m.group(1) not in keywords}


def dashboard_expressions() -> list[str]:
    expressions = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        for panel in dashboard["panels"]:
            expressions += [target["expr"] for target in panel.get("targets", [])]
    return expressions


def test_the_expression_reader_finds_metrics_and_only_metrics() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (job, le) (rate(plut_a_bucket{route!="x"}[5m]))) '
        '/ sum without (instance) (plut_b) and on (job) up{job=~"a|b"}'
    )
    assert metric_names(expression) == {"plut_a_bucket", "plut_b", "up"}


async def test_every_metric_the_dashboard_queries_is_exposed_by_a_service(
    exposed_names: set[str],
) -> None:
    expressions = dashboard_expressions()
    used = set().union(*(metric_names(expression) for expression in expressions))
    assert len(expressions) >= 15 and len(used) >= 12  # the reader found the queries
    assert used - exposed_names - PROMETHEUS_OWN == set()
    # And the check can fail: a name no service exposes is caught.
    assert "plut_events_publishd_total" not in exposed_names
