"""Use cases of the catalogue: courses of a centre and their sessions."""

from __future__ import annotations

from typing import Protocol

from plut_shared.contracts import new_event_id

from training.domain.centres import validate_centre_id
from training.domain.commands import CancelSession, CreateCourse, RescheduleSession, ScheduleSession
from training.domain.course import Course
from training.domain.errors import DomainValidationError
from training.domain.schedule import Schedule
from training.domain.session import TrainingSession
from training.handlers.common import (
    Actor,
    Clock,
    Stores,
    cause,
    ensure_may_act_for,
    update_visible,
    visible,
)


class CatalogueQueries(Protocol):
    async def courses(
        self, centres: frozenset[str] | None, *, limit: int, offset: int
    ) -> list[Course]: ...
    async def sessions(
        self, centres: frozenset[str] | None, course_id: str | None, *, limit: int, offset: int
    ) -> list[TrainingSession]: ...


class CatalogueHandlers:
    def __init__(
        self, stores: Stores, queries: CatalogueQueries, clock: Clock, *, waitlist_max: int
    ) -> None:
        self.stores = stores
        self.queries = queries
        self.clock = clock
        self.waitlist_max = waitlist_max

    async def create_course(self, command: CreateCourse, actor: Actor) -> Course:
        centre_id = validate_centre_id(command.centre_id)
        ensure_may_act_for(actor, centre_id)
        prerequisite = None
        if command.prerequisite_course_id is not None:
            prerequisite = await self.stores.courses.get(command.prerequisite_course_id)
            if prerequisite is None or not actor.can_access(prerequisite.centre_id):
                raise DomainValidationError("prerequisite_course_id", "no course of this centre")
        course = Course.create(
            course_id=new_event_id(),
            centre_id=centre_id,
            topic=command.topic,
            title=command.title,
            description=command.description,
            prerequisite=prerequisite,
            target_scale_classes=command.target_scale_classes,
            target_sectors=command.target_sectors,
            min_attendance_percent=command.min_attendance_percent,
            at=self.clock(),
        )
        await self.stores.courses.add(course, cause(actor))
        return course

    async def course(self, course_id: str, actor: Actor) -> Course:
        return await visible(self.stores.courses, course_id, actor)

    async def courses(self, actor: Actor, *, limit: int, offset: int) -> list[Course]:
        return await self.queries.courses(actor.centres, limit=limit, offset=offset)

    async def schedule_session(
        self, course_id: str, command: ScheduleSession, actor: Actor
    ) -> TrainingSession:
        course = await visible(self.stores.courses, course_id, actor)
        schedule = Schedule.of(
            command.starts_at, command.ends_at, command.venue, command.online_link
        )
        session = TrainingSession.plan(
            course,
            session_id=new_event_id(),
            schedule=schedule,
            trainer=command.trainer,
            capacity=command.capacity,
            waitlist_max=self.waitlist_max,
            at=self.clock(),
        )
        await self.stores.sessions.add(session, cause(actor))
        return session

    async def session(self, session_id: str, actor: Actor) -> TrainingSession:
        return await visible(self.stores.sessions, session_id, actor)

    async def sessions(
        self, actor: Actor, course_id: str | None, *, limit: int, offset: int
    ) -> list[TrainingSession]:
        return await self.queries.sessions(actor.centres, course_id, limit=limit, offset=offset)

    async def reschedule(
        self, session_id: str, command: RescheduleSession, actor: Actor
    ) -> TrainingSession:
        now = self.clock()

        def move(session: TrainingSession) -> None:
            schedule = session.schedule.moved(command.starts_at, command.ends_at)
            session.reschedule(schedule, command.reason, now)

        return await update_visible(self.stores.sessions, session_id, actor, move)

    async def cancel(
        self, session_id: str, command: CancelSession, actor: Actor
    ) -> TrainingSession:
        now = self.clock()
        return await update_visible(
            self.stores.sessions, session_id, actor, lambda s: s.cancel(command.reason, now)
        )
