"""Composition root: settings, aggregate stores, broker, channels, handlers, dispatcher, API.

Nothing is created at import time; `create_app` builds one service instance.
Tests pass their own settings, tokens, clock or channels.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import httpx
from fastapi import FastAPI
from plut_shared.auth import AuthSettings, TokenRegistry
from plut_shared.contracts.registration import Channel
from plut_shared.host import ServiceHost, build_host, create_service_app
from plut_shared.messaging import AggregateStore, ConsumerQueue

from notifications.adapters.channels import (
    ChannelAdapter,
    EmailChannel,
    SmsChannel,
    SmtpSettings,
    WhatsAppChannel,
    provider_client,
)
from notifications.adapters.contact_book import CONTACTS, ContactMapper
from notifications.adapters.dispatch_schedule import DISPATCH_SCHEDULE, StoredDispatchSchedule
from notifications.adapters.message_queries import StoredMessageQueries
from notifications.adapters.messages import MESSAGES, MessageMapper
from notifications.adapters.owner_messages import (
    OWNER_MESSAGES,
    OWNER_MESSAGES_SWEEP,
    StoredOwnerMessages,
)
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.config import NotificationsSettings
from notifications.dispatch_metrics import DispatchMetrics
from notifications.dispatcher import Dispatcher
from notifications.domain.clock import Clock, SystemClock
from notifications.domain.delivery import DeliveryRetryPolicy
from notifications.domain.message import Message
from notifications.entrypoints.http import install_error_answers, router
from notifications.handlers import NotificationHandlers
from notifications.operations import Operations
from notifications.sending import Sender

SERVICE = "notifications"
EVENTS = ConsumerQueue("events", ("registration.#", "training.#", "financing.#"))


def create_app(
    settings: NotificationsSettings | None = None,
    tokens: TokenRegistry | None = None,
    clock: Clock | None = None,
    channels: Mapping[Channel, ChannelAdapter] | None = None,
) -> FastAPI:
    settings = settings or NotificationsSettings()
    tokens = tokens if tokens is not None else TokenRegistry.from_settings(AuthSettings())
    clock = clock or SystemClock()
    host = build_host(SERVICE, settings, queues=(EVENTS,))
    if channels is None:
        client = provider_client(
            settings.provider_base_url,
            settings.provider_token.get_secret_value(),
            timeout=settings.provider_timeout_s,
        )
        host.on_stop.append(client.aclose)
        channels = default_channels(settings, client)
    contacts = host.aggregates(CONTACTS, ContactMapper())
    messages, queries = scheduled_messages(host.aggregates(MESSAGES, MessageMapper()))
    metrics = DispatchMetrics(host.metrics.registry)
    sender = Sender(messages, contacts, channels, clock, retry_policy(settings), metrics)
    dispatcher = Dispatcher(
        messages,
        queries,
        sender,
        clock,
        poll_interval=settings.dispatch_poll_interval_s,
        concurrency=settings.dispatch_concurrency,
        lease=timedelta(seconds=settings.send_lease_s),
        shutdown_grace=settings.dispatch_shutdown_grace_s,
        metrics=metrics,
    )
    handlers = NotificationHandlers(contacts, messages, queries, clock, dispatcher.wake, metrics)
    host.messaging.consume("events", handlers.routes())
    _lifecycle(host, queries, dispatcher, clock)
    app = create_service_app(
        host,
        title="PLUT notifications",
        description="WhatsApp, SMS and email to UMKM owners, in Bahasa Indonesia or English.",
        routers=[router],
        tokens=tokens,
    )
    app.state.notifications = Operations(contacts, messages, queries, clock, dispatcher.wake)
    app.state.dispatcher = dispatcher
    install_error_answers(app)
    return app


def default_channels(
    settings: NotificationsSettings, client: httpx.AsyncClient
) -> dict[Channel, ChannelAdapter]:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    smtp = SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        from_address=settings.smtp_from,
        username=settings.smtp_username,
        password=password,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_s,
    )
    return {
        Channel.WHATSAPP: WhatsAppChannel(client),
        Channel.SMS: SmsChannel(client),
        Channel.EMAIL: EmailChannel(smtp),
    }


def scheduled_messages(
    store: AggregateStore[Message],
) -> tuple[ScheduledMessages, StoredMessageQueries]:
    """The message store every use case writes through, and the queries, on one schedule
    and one list of each owner's messages."""
    database = store.collection.database
    schedule = StoredDispatchSchedule(database[DISPATCH_SCHEDULE])
    owners = StoredOwnerMessages(database[OWNER_MESSAGES], database[OWNER_MESSAGES_SWEEP])
    return (
        ScheduledMessages(store, schedule, owners),
        StoredMessageQueries(store, schedule, owners),
    )


def retry_policy(settings: NotificationsSettings) -> DeliveryRetryPolicy:
    return DeliveryRetryPolicy(
        max_attempts=settings.max_attempts,
        backoff_base=timedelta(seconds=settings.backoff_base_s),
        backoff_max=timedelta(seconds=settings.backoff_max_s),
    )


def _lifecycle(
    host: ServiceHost, queries: StoredMessageQueries, dispatcher: Dispatcher, clock: Clock
) -> None:
    async def list_owners_messages() -> None:
        # Before the consumers start: a cancellation or an erasure then finds every message.
        await queries.restore_owner_lists(clock.now())

    host.on_start.append(queries.create_indexes)
    host.on_start.append(list_owners_messages)
    host.on_start.append(dispatcher.start)
    # Stopped before the consumers: a handler may still call wake(), which only sets a flag.
    host.on_stop.insert(0, dispatcher.stop)
