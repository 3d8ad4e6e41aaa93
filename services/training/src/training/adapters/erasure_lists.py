"""Enrolments and bookings made before enterprises listed them: listed once, at start.

An erasure withdraws what the enterprise's document lists (README, "Erasure"),
and those lists are filled from training's own enrolment and booking events.
Enrolments and bookings made before the lists existed would stay behind an
erasure, so the service lists them once when it starts, before its consumers
do: it reads the sessions and appointments still scheduled (a scan, at start
only) and adds each to its enterprise's lists through the aggregate store.
Nothing else needs it later: every enrolment or booking since, by this
version or an older replica during a rolling upgrade, leaves an event that
fills the lists. A mark in `migrations` keeps later starts from reading again;
replicas starting together may both list, which lists nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from plut_shared.contracts import utc_now
from plut_shared.messaging import Aggregates, Cause
from pymongo.asynchronous.database import AsyncDatabase

from training.adapters.catalogue import SESSIONS, SessionMapper
from training.adapters.mentoring import APPOINTMENTS
from training.domain.enterprise import ServedEnterprise

MIGRATIONS = "migrations"
MARK = "erasure_lists"
CAUSE = Cause("training-erasure-lists")
SCHEDULED = {"status": "scheduled"}

log = logging.getLogger(__name__)


class ErasureLists:
    def __init__(self, db: AsyncDatabase, enterprises: Aggregates[ServedEnterprise]) -> None:
        self._db = db
        self._enterprises = enterprises

    async def fill_once(self) -> int:
        """List what scheduled sessions and appointments hold; how many enterprises changed."""
        if await self._db[MIGRATIONS].find_one({"_id": MARK}) is not None:
            return 0
        sessions, appointments = await self._scheduled()
        changed = 0
        for umkm_id in sessions.keys() | appointments.keys():
            listing = _listing(sessions.get(umkm_id, []), appointments.get(umkm_id, []))
            changed += await self._enterprises.change(umkm_id, listing, CAUSE) is not None
        done = {"$set": {"done_at": utc_now(), "enterprises": changed}}
        await self._db[MIGRATIONS].update_one({"_id": MARK}, done, upsert=True)
        log.info("erasure lists: enrolments and bookings of %d enterprises listed", changed)
        return changed

    async def _scheduled(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Per enterprise: the scheduled sessions it is enrolled in, its scheduled bookings."""
        sessions: dict[str, list[str]] = {}
        mapper = SessionMapper()
        async for document in self._db[SESSIONS].find(SCHEDULED):
            session = mapper.from_document(document)
            for enrollment in session.roster.active():
                sessions.setdefault(enrollment.umkm_id, []).append(session.session_id)
        appointments: dict[str, list[str]] = {}
        async for document in self._db[APPOINTMENTS].find(SCHEDULED, {"umkm_id": 1}):
            appointments.setdefault(document["umkm_id"], []).append(document["_id"])
        return sessions, appointments


def _listing(
    session_ids: list[str], appointment_ids: list[str]
) -> Callable[[ServedEnterprise], bool]:
    def listing(enterprise: ServedEnterprise) -> bool:
        for session_id in session_ids:
            enterprise.on_enrolled(session_id)
        for appointment_id in appointment_ids:
            enterprise.on_booked(appointment_id)
        return True

    return listing
