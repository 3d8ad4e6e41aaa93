"""Read-side queries across aggregates: lists for officers and the booked slots of a consultant.

Writes go only through the aggregate store; these are operator queries, so a
filter that scans (the local store indexes only exact key matches, see the
README's "Why these parts") is acceptable here and never on a hot write path.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from training.adapters.catalogue import COURSES, SESSIONS, CourseMapper, SessionMapper
from training.adapters.mentoring import (
    APPOINTMENTS,
    CONSULTANTS,
    SLOT_KEY,
    AppointmentMapper,
    ConsultantMapper,
)
from training.domain.appointment import Appointment
from training.domain.consultant import Area, Consultant
from training.domain.course import Course
from training.domain.session import TrainingSession

LIST_LIMIT = 200
_LIVE = ("scheduled", "completed")


def _in_centres(centres: frozenset[str] | None) -> dict[str, Any]:
    return {} if centres is None else {"centre_id": {"$in": sorted(centres)}}


class TrainingQueries:
    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def create_indexes(self) -> None:
        # The store enforces it atomically: two live appointments never share a slot.
        await self.db[APPOINTMENTS].create_index(SLOT_KEY, unique=True)
        for collection in (COURSES, SESSIONS, CONSULTANTS, APPOINTMENTS):
            await self.db[collection].create_index("centre_id")

    async def courses(
        self, centres: frozenset[str] | None, *, limit: int, offset: int
    ) -> list[Course]:
        cursor = self.db[COURSES].find(_in_centres(centres)).sort("_id", 1)
        mapper = CourseMapper()
        return [mapper.from_document(d) async for d in cursor.skip(offset).limit(limit)]

    async def sessions(
        self, centres: frozenset[str] | None, course_id: str | None, *, limit: int, offset: int
    ) -> list[TrainingSession]:
        query = _in_centres(centres) | ({} if course_id is None else {"course_id": course_id})
        cursor = self.db[SESSIONS].find(query).sort("starts_at", 1).skip(offset).limit(limit)
        mapper = SessionMapper()
        return [mapper.from_document(d) async for d in cursor]

    async def consultants(
        self, centres: frozenset[str] | None, area: Area | None
    ) -> list[Consultant]:
        query = _in_centres(centres) | ({} if area is None else {"areas": str(area)})
        cursor = self.db[CONSULTANTS].find(query).sort("_id", 1).limit(LIST_LIMIT)
        mapper = ConsultantMapper()
        return [mapper.from_document(d) async for d in cursor]

    async def booked_slots(self, consultant_id: str) -> set[str]:
        query = {"consultant_id": consultant_id, "status": {"$in": list(_LIVE)}}
        cursor = self.db[APPOINTMENTS].find(query, {"slot.slot_id": 1})
        return {d["slot"]["slot_id"] async for d in cursor}

    async def appointments(
        self, centres: frozenset[str] | None, *, consultant_id: str | None, umkm_id: str | None
    ) -> list[Appointment]:
        query = _in_centres(centres)
        if consultant_id is not None:
            query["consultant_id"] = consultant_id
        if umkm_id is not None:
            query["umkm_id"] = umkm_id
        cursor = self.db[APPOINTMENTS].find(query).sort("slot.starts_at", 1).limit(LIST_LIMIT)
        mapper = AppointmentMapper()
        return [mapper.from_document(d) async for d in cursor]
