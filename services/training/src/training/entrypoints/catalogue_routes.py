"""HTTP routes of the catalogue: courses, sessions, and what training knows of an enterprise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from plut_shared.routes import Reader, Writer

from training.domain.commands import CancelSession, CreateCourse, RescheduleSession, ScheduleSession
from training.entrypoints.http import READ_ERRORS, WRITE_ERRORS, Services
from training.entrypoints.views import CourseView, EnterpriseView, SessionView

router = APIRouter(responses=READ_ERRORS)
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=100_000)]


@router.post(
    "/courses",
    tags=["courses"],
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Add a course to a centre's catalogue",
)
async def create_course(command: CreateCourse, actor: Writer, w: Services) -> CourseView:
    return CourseView.of(await w.catalogue.create_course(command, actor))


@router.get("/courses", tags=["courses"], summary="Courses of the caller's centres")
async def list_courses(
    actor: Reader, w: Services, limit: Limit = 50, offset: Offset = 0
) -> list[CourseView]:
    found = await w.catalogue.courses(actor, limit=limit, offset=offset)
    return [CourseView.of(course) for course in found]


@router.get("/courses/{course_id}", tags=["courses"], summary="One course")
async def read_course(course_id: str, actor: Reader, w: Services) -> CourseView:
    return CourseView.of(await w.catalogue.course(course_id, actor))


@router.post(
    "/courses/{course_id}/sessions",
    tags=["sessions"],
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Schedule a session of a course (publishes training.session.scheduled)",
)
async def schedule_session(
    course_id: str, command: ScheduleSession, actor: Writer, w: Services
) -> SessionView:
    return SessionView.of(await w.catalogue.schedule_session(course_id, command, actor))


@router.get("/sessions", tags=["sessions"], summary="Sessions of the caller's centres, by start")
async def list_sessions(
    actor: Reader,
    w: Services,
    course_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[SessionView]:
    found = await w.catalogue.sessions(actor, course_id, limit=limit, offset=offset)
    return [SessionView.of(session) for session in found]


@router.get("/sessions/{session_id}", tags=["sessions"], summary="One session")
async def read_session(session_id: str, actor: Reader, w: Services) -> SessionView:
    return SessionView.of(await w.catalogue.session(session_id, actor))


@router.post(
    "/sessions/{session_id}/reschedule",
    tags=["sessions"],
    responses=WRITE_ERRORS,
    summary="Move a session; participants' reminders move with it",
)
async def reschedule_session(
    session_id: str, command: RescheduleSession, actor: Writer, w: Services
) -> SessionView:
    return SessionView.of(await w.catalogue.reschedule(session_id, command, actor))


@router.post(
    "/sessions/{session_id}/cancel",
    tags=["sessions"],
    responses=WRITE_ERRORS,
    summary="Call a session off; every participant's enrolment is cancelled",
)
async def cancel_session(
    session_id: str, command: CancelSession, actor: Writer, w: Services
) -> SessionView:
    return SessionView.of(await w.catalogue.cancel(session_id, command, actor))


@router.get(
    "/enterprises/{umkm_id}",
    tags=["enterprises"],
    summary="What training knows of an enterprise (from registration's events)",
)
async def read_enterprise(umkm_id: str, actor: Reader, w: Services) -> EnterpriseView:
    return EnterpriseView.of(await w.served.enterprise(umkm_id, actor))
