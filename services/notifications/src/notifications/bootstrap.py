"""Composition root: settings, store, broker, channels, handlers, dispatcher, API.

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
from plut_shared.messaging import ConsumerQueue

from notifications.adapters.channels import (
    ChannelAdapter,
    EmailChannel,
    SmsChannel,
    SmtpSettings,
    WhatsAppChannel,
    provider_client,
)
from notifications.adapters.contact_book import ContactBook
from notifications.adapters.messages import MessageStore
from notifications.config import NotificationsSettings
from notifications.dispatcher import Dispatcher
from notifications.domain.clock import Clock, SystemClock
from notifications.domain.delivery import RetryPolicy
from notifications.entrypoints.http import build_router
from notifications.handlers import NotificationHandlers

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
    host = build_host(SERVICE, settings, queues=(EVENTS,), outbox_collections=["messages"])
    if channels is None:
        client = provider_client(
            settings.provider_base_url,
            settings.provider_token.get_secret_value(),
            timeout=settings.provider_timeout_s,
        )
        host.on_stop.append(client.aclose)
        channels = default_channels(settings, client)
    contacts = ContactBook(host.db["contacts"], host.locks)
    messages = MessageStore(host.db["messages"], host.writer)
    dispatcher = _dispatcher(settings, messages, contacts, channels, clock)
    handlers = NotificationHandlers(contacts, messages, clock, dispatcher.wake)
    host.messaging.consume("events", handlers.routes())
    _lifecycle(host, messages, dispatcher)
    app = create_service_app(
        host,
        title="PLUT notifications",
        description="WhatsApp, SMS and email to UMKM owners, in Bahasa Indonesia or English.",
        routers=[build_router(contacts, messages, clock, dispatcher.wake)],
        tokens=tokens,
    )
    app.state.dispatcher = dispatcher
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


def _dispatcher(
    settings: NotificationsSettings,
    messages: MessageStore,
    contacts: ContactBook,
    channels: Mapping[Channel, ChannelAdapter],
    clock: Clock,
) -> Dispatcher:
    policy = RetryPolicy(
        max_attempts=settings.max_attempts,
        backoff_base=timedelta(seconds=settings.backoff_base_s),
        backoff_max=timedelta(seconds=settings.backoff_max_s),
    )
    return Dispatcher(
        messages,
        contacts,
        channels,
        clock,
        policy,
        poll_interval=settings.dispatch_poll_interval_s,
        concurrency=settings.dispatch_concurrency,
        lease=timedelta(seconds=settings.send_lease_s),
        shutdown_grace=settings.dispatch_shutdown_grace_s,
    )


def _lifecycle(host: ServiceHost, messages: MessageStore, dispatcher: Dispatcher) -> None:
    host.on_start.append(messages.create_indexes)
    host.on_start.append(dispatcher.start)
    # Stopped before the consumers: a handler may still call wake(), which only sets a flag.
    host.on_stop.insert(0, dispatcher.stop)
