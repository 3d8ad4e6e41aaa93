"""Composition root: host, aggregate stores, queries, handlers, subscribers and routes.

Nothing is created at import time; `create_app` builds one service instance.
The service's name and the events it consumes are declared here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from plut_shared.auth import AuthSettings, TokenRegistry
from plut_shared.contracts import utc_now
from plut_shared.host import ServiceHost, build_host, create_service_app
from plut_shared.messaging import ConsumerQueue

from training.adapters.catalogue import (
    CERTIFICATE_COUNTERS,
    COURSES,
    SESSIONS,
    CounterMapper,
    CourseMapper,
    SessionMapper,
)
from training.adapters.enterprises import ENTERPRISES, EnterpriseMapper
from training.adapters.erasure_lists import ErasureLists
from training.adapters.mentoring import (
    APPOINTMENTS,
    CONSULTANTS,
    AppointmentMapper,
    ConsultantMapper,
)
from training.adapters.queries import TrainingQueries
from training.config import TrainingSettings
from training.entrypoints import catalogue_routes, enrolment_routes, mentoring_routes
from training.entrypoints.errors import install_error_handlers
from training.entrypoints.http import Wiring
from training.handlers.catalogue import CatalogueHandlers
from training.handlers.common import SERVICE, Stores
from training.handlers.enrolment import EnrolmentHandlers
from training.handlers.erasure import ErasureWithdrawals
from training.handlers.mentoring import MentoringHandlers
from training.handlers.served import ServedEnterprises

# The enterprises training may serve come from registration; completions from
# training itself (a completed course is a prerequisite of the next one), and
# enrolments and bookings too (an erasure withdraws them: README, "Erasure").
EVENTS = ConsumerQueue(
    "events",
    (
        "registration.umkm.*",
        "training.participant.completed",
        "training.enrollment.confirmed",
        "training.enrollment.waitlisted",
        "training.mentoring.scheduled",
    ),
)

DESCRIPTION = """\
Training (pelatihan) and mentoring (pendampingan) at PLUT centres: a course
catalogue per centre, sessions with seats and a waiting list, attendance,
completion with numbered certificates (PDF, Bahasa Indonesia), and mentoring
appointments with the centre's consultants. Every change is published as a
`training.*` event through the outbox. Times are stored in UTC and shown in
WIB beside it. Every endpoint except `/health` needs a bearer token.
"""


def create_app(
    settings: TrainingSettings | None = None,
    tokens: TokenRegistry | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    settings = settings if settings is not None else TrainingSettings()
    # `is None`, not `or`: an empty registry is falsy yet a deliberate choice.
    tokens = tokens if tokens is not None else TokenRegistry.from_settings(AuthSettings())
    host = build_host(SERVICE, settings, queues=(EVENTS,))
    stores = _stores(host)
    queries = TrainingQueries(host.db)
    host.on_start.append(queries.create_indexes)
    # Before the consumers start, so an erasure finds enrolments made before the lists.
    host.on_start.append(ErasureLists(host.db, stores.enterprises).fill_once)
    wiring = _wiring(settings, stores, queries, clock)
    host.messaging.consume(EVENTS.purpose, wiring.served.routes())
    app = create_service_app(
        host,
        title="PLUT training and mentoring service",
        description=DESCRIPTION,
        routers=[catalogue_routes.router, enrolment_routes.router, mentoring_routes.router],
        tokens=tokens,
    )
    app.state.training = wiring
    install_error_handlers(app)
    return app


def _wiring(
    settings: TrainingSettings,
    stores: Stores,
    queries: TrainingQueries,
    clock: Callable[[], datetime],
) -> Wiring:
    return Wiring(
        catalogue=CatalogueHandlers(stores, queries, clock, waitlist_max=settings.waitlist_max),
        enrolment=EnrolmentHandlers(stores, clock),
        mentoring=MentoringHandlers(stores, queries, clock),
        served=ServedEnterprises(stores.enterprises, ErasureWithdrawals(stores, clock)),
        settings=settings,
    )


def _stores(host: ServiceHost) -> Stores:
    return Stores(
        enterprises=host.aggregates(ENTERPRISES, EnterpriseMapper()),
        courses=host.aggregates(COURSES, CourseMapper()),
        sessions=host.aggregates(SESSIONS, SessionMapper()),
        counters=host.aggregates(CERTIFICATE_COUNTERS, CounterMapper()),
        consultants=host.aggregates(CONSULTANTS, ConsultantMapper()),
        appointments=host.aggregates(APPOINTMENTS, AppointmentMapper()),
    )
