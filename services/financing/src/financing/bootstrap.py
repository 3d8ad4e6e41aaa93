"""Composition root: rules, aggregate stores, queries, handlers, timer and routes.

Nothing is created at import time; `create_app` builds one service instance.
Tests pass their own settings, tokens or clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from plut_shared.auth import AuthSettings, TokenRegistry
from plut_shared.contracts import utc_now
from plut_shared.host import build_host, create_service_app
from plut_shared.messaging import ConsumerQueue
from plut_shared.messaging.partners import PARTNER_REPLIES_EXCHANGE, PartnerReplyTrust

from financing.adapters.records import (
    ENTERPRISES,
    REFERRALS,
    SESSIONS,
    EnterpriseMapper,
    ReferralMapper,
    SessionMapper,
)
from financing.adapters.referral_queries import StoredReferralQueries
from financing.config import FinancingSettings
from financing.domain.calendar import WIB, WorkingCalendar
from financing.domain.routing import PartnerRouter
from financing.domain.rules import load_holidays, load_routing, load_schemes
from financing.entrypoints.errors import install_error_handlers
from financing.entrypoints.http import router
from financing.escalation import EscalationTimer
from financing.handlers import SERVICE, FinancingHandlers, Rules
from financing.subscribers import FinancingSubscribers

log = logging.getLogger(__name__)

DESCRIPTION = """\
Financing referrals ("akses modal"): eligibility for KUR and LPDB schemes with
every reason a referral cannot go ahead, routing to a partner bank or fund by
scheme and centre, and the referral's life (submitted, forwarded, escalated when
the partner's SLA passes, decided, disbursed, withdrawn). Partners receive only
the referrals routed to them, on their own broker queue, and answer there.
Every endpoint except `/health` needs a bearer token.
"""
EVENTS = ConsumerQueue(
    "events",
    ("registration.umkm.*", "training.session.scheduled", "training.participant.completed"),
)
PARTNER_REPLIES = ConsumerQueue(
    "partner-replies", ("partner.*.referral.*",), exchange=PARTNER_REPLIES_EXCHANGE
)


def load_rules(settings: FinancingSettings) -> Rules:
    return Rules(
        load_schemes(settings.schemes_file),
        PartnerRouter(load_routing(settings.routing_file)),
        WorkingCalendar(load_holidays(settings.holidays_file)),
    )


def create_app(
    settings: FinancingSettings | None = None,
    tokens: TokenRegistry | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    settings = settings if settings is not None else FinancingSettings()
    tokens = tokens if tokens is not None else TokenRegistry.from_settings(AuthSettings())
    rules = load_rules(settings)
    if not rules.calendar.covers(clock().astimezone(WIB).year):
        log.warning("the holiday data does not cover this year: only weekends are days off")
    host = build_host(SERVICE, settings, queues=(EVENTS, PARTNER_REPLIES))
    enterprises = host.aggregates(ENTERPRISES, EnterpriseMapper())
    sessions = host.aggregates(SESSIONS, SessionMapper())
    referrals = host.aggregates(REFERRALS, ReferralMapper())
    queries = StoredReferralQueries(referrals.collection)
    subscribers = FinancingSubscribers(enterprises, sessions, referrals, queries, clock)
    host.messaging.consume("events", subscribers.routes())
    trust = PartnerReplyTrust(host.messaging.broker_user, settings.broker_user_prefix)
    host.messaging.consume("partner-replies", subscribers.partner_routes(), trust=trust)
    timer = EscalationTimer(referrals, queries, clock, interval=settings.escalation_interval_s)
    host.on_start.extend([queries.create_indexes, timer.start])
    host.on_stop.insert(0, timer.stop)
    app = create_service_app(
        host,
        title="PLUT financing service",
        description=DESCRIPTION,
        routers=[router],
        tokens=tokens,
    )
    app.state.financing = FinancingHandlers(enterprises, sessions, referrals, queries, rules, clock)
    app.state.escalation = timer
    install_error_handlers(app)
    return app
