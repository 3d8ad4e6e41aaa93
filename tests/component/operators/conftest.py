"""Services served over real HTTP for the `plut` command, against the real broker and store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from notifications.bootstrap import create_app as create_notifications
from registration.bootstrap import create_app as create_registration
from registration.config import RegistrationSettings

from tests.component.kernel.conftest import start_service, testkit_url  # noqa: F401 (fixtures)
from tests.component.notifications.service import BrokerAccess, DaytimeClock, settings_for
from tests.component.registration.examples import token_registry
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink
from tests.support.plut import serving_over_http

ADMIN_TOKEN = "t-admin"  # tests.component.registration.examples: admin of every centre


@pytest.fixture
def registration_url(
    infra, service_urls: dict[str, str], broker_user_prefix: str, database_name: str
) -> Iterator[str]:
    settings = RegistrationSettings(
        amqp_url=service_urls["registration"],
        broker_user_prefix=broker_user_prefix,
        mongo_url=infra.mongo_url,
        database=database_name,
    )
    with serving_over_http(create_registration(settings, token_registry())) as url:
        yield url


@pytest.fixture
def notifications_url(
    infra, amqp_url: str, service_urls: dict[str, str], broker_user_prefix: str, database_name: str
) -> Iterator[str]:
    broker = BrokerAccess(amqp_url, service_urls, broker_user_prefix)
    with SmtpSink() as smtp, FakeMessagingProvider() as provider:
        settings = settings_for(broker, infra.mongo_url, database_name, smtp, provider)
        app = create_notifications(settings, token_registry(), clock=DaytimeClock())
        with serving_over_http(app) as url:
            yield url
