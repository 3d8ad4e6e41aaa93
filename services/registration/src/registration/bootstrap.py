"""Composition root: host, aggregate store, queries, handlers and routes; nothing at import."""

from __future__ import annotations

from fastapi import FastAPI
from plut_shared.auth import AuthSettings, TokenRegistry
from plut_shared.host import build_host, create_service_app

from registration.adapters.audit import AuditTrail
from registration.adapters.directory import EnterpriseDirectory
from registration.adapters.import_file import ImportLimits
from registration.adapters.import_leases import ImportLeases
from registration.adapters.import_reports import ImportReports
from registration.adapters.records import ENTERPRISES, EnterpriseMapper
from registration.bulk_import import BulkImporter
from registration.config import RegistrationSettings
from registration.entrypoints import imports
from registration.entrypoints.errors import install_error_handlers
from registration.entrypoints.http import Wiring, router
from registration.handlers import SERVICE, RegistrationHandlers
from registration.import_jobs import ImportJobs
from registration.import_metrics import ImportMetrics

DESCRIPTION = """\
Registry of the UMKM a PLUT centre serves: identity checks (NIK, NIB, phone),
PP 7/2021 scale classes, deduplication, consent per purpose, data-subject rights
(UU 27/2022: export, correction, erasure) with an audit trail, and bulk import.
Every change is published as a `registration.umkm.*` event through the outbox.
Every endpoint except `/health` needs a bearer token.
"""
# Room for the multipart boundaries and part headers around an uploaded file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def create_app(
    settings: RegistrationSettings | None = None, tokens: TokenRegistry | None = None
) -> FastAPI:
    settings = settings if settings is not None else RegistrationSettings()
    # `is None`, not `or`: an empty registry is falsy yet a deliberate choice.
    tokens = tokens if tokens is not None else TokenRegistry.from_settings(AuthSettings())
    host = build_host(SERVICE, settings)
    records = host.aggregates(ENTERPRISES, EnterpriseMapper())
    directory = EnterpriseDirectory(host.db)
    audit = AuditTrail(host.db)
    host.on_start.extend([directory.create_indexes, audit.create_indexes])
    handlers = RegistrationHandlers(records, directory, audit)
    importer = BulkImporter(
        handlers,
        concurrency=settings.import_concurrency,
        limits=ImportLimits(settings.import_max_rows, settings.import_max_unzipped_bytes),
    )
    jobs = ImportJobs(
        importer,
        ImportReports(host.db),
        ImportLeases(host.db),
        directory,
        lease_s=settings.import_job_lease_s,
        jobs_at_once=settings.import_jobs_at_once,
        metrics=ImportMetrics(host.metrics.registry),
    )
    host.on_start.append(jobs.start)
    host.on_stop.append(jobs.stop)  # before the relay stops: the jobs' last events leave
    app = create_service_app(
        host,
        title="PLUT registration service",
        description=DESCRIPTION,
        routers=[router, imports.router],
        tokens=tokens,
        body_limits={imports.IMPORT_PATH: settings.import_max_bytes + MULTIPART_OVERHEAD_BYTES},
    )
    app.state.registration = Wiring(handlers, jobs, settings)
    install_error_handlers(app)
    return app
