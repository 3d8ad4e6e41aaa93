"""HTTP routes of a session's participants: enrolment, attendance, completion, certificates."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response, status
from plut_shared.routes import Reader, Writer

from training.adapters.certificate_pdf import render_certificate
from training.domain.commands import Enrol, RecordAttendance
from training.entrypoints.http import READ_ERRORS, WRITE_ERRORS, Services
from training.entrypoints.views import CancellationView, EnrollmentView

router = APIRouter(tags=["enrollments"], responses=READ_ERRORS)


@router.post(
    "/sessions/{session_id}/enrollments",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Enrol an enterprise: a seat while there is one, else the waiting list",
)
async def enrol(session_id: str, command: Enrol, actor: Writer, w: Services) -> EnrollmentView:
    placement = await w.enrolment.enrol(session_id, command.umkm_id, actor)
    return EnrollmentView.placed(session_id, placement)


@router.get("/sessions/{session_id}/enrollments", summary="The session's enrolments in order")
async def list_enrollments(session_id: str, actor: Reader, w: Services) -> list[EnrollmentView]:
    session = await w.catalogue.session(session_id, actor)
    return [EnrollmentView.of(session, e) for e in session.roster.enrollments]


@router.post(
    "/sessions/{session_id}/enrollments/{enrollment_id}/cancel",
    responses=WRITE_ERRORS,
    summary="Cancel an enrolment; a freed seat goes to the first on the waiting list",
)
async def cancel_enrollment(
    session_id: str, enrollment_id: str, actor: Writer, w: Services
) -> CancellationView:
    cancelled, promoted = await w.enrolment.cancel(session_id, enrollment_id, actor)
    return CancellationView(
        cancelled=EnrollmentView.off_waitlist(session_id, cancelled),
        promoted=None if promoted is None else EnrollmentView.off_waitlist(session_id, promoted),
    )


@router.put(
    "/sessions/{session_id}/attendance/{day}",
    responses=WRITE_ERRORS,
    summary="Who attended one session day (WIB date); replaces that day's list",
)
async def record_attendance(
    session_id: str, day: date, command: RecordAttendance, actor: Writer, w: Services
) -> list[EnrollmentView]:
    session = await w.enrolment.record_attendance(session_id, day, command.present, actor)
    return [EnrollmentView.of(session, e) for e in session.roster.confirmed()]


@router.post(
    "/sessions/{session_id}/completions",
    responses=WRITE_ERRORS,
    summary="Complete every participant the course's attendance rule admits, with certificates",
)
async def complete_session(session_id: str, actor: Writer, w: Services) -> list[EnrollmentView]:
    completed = await w.enrolment.complete(session_id, actor)
    return [EnrollmentView.off_waitlist(session_id, enrollment) for enrollment in completed]


@router.get(
    "/sessions/{session_id}/enrollments/{enrollment_id}/certificate",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The certificate (PDF)"},
        409: WRITE_ERRORS[409],
    },
    response_class=Response,
    summary="The participant's certificate as a PDF, in Bahasa Indonesia",
)
async def certificate(session_id: str, enrollment_id: str, actor: Reader, w: Services) -> Response:
    data = await w.enrolment.certificate(session_id, enrollment_id, actor)
    filename = f"sertifikat-{data.certificate_number}.pdf"
    return Response(
        render_certificate(data),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
