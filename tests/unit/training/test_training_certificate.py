"""Certificates: numbers per centre and year, and a PDF in Bahasa Indonesia read back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from training.adapters.certificate_pdf import latin1, render_certificate
from training.domain.certificate import CertificateCounter, certificate_number
from training.domain.errors import StateConflict
from training.domain.times import date_range_id

from tests.unit.training.fakes import deliver, erased, officer, planned_session, register, wired


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


async def completed_participant(w, days: int = 2):
    await register(w, "u1")
    session = await planned_session(w, days=days, min_attendance_percent=50)
    placed = await w.enrolment.enrol(session.session_id, "u1", officer())
    w.clock.now = session.schedule.ends_at
    await w.enrolment.record_attendance(session.session_id, session.days[0], ["u1"], officer())
    await w.enrolment.complete(session.session_id, officer())
    return session, placed.enrollment.enrollment_id


async def test_the_certificate_pdf_names_owner_business_course_dates_and_number() -> None:
    w = wired()
    session, enrollment_id = await completed_participant(w)
    data = await w.enrolment.certificate(session.session_id, enrollment_id, officer())
    text = pdf_text(render_certificate(data))
    assert "SERTIFIKAT" in text
    assert "Siti Rahayu" in text
    assert "UD Sepatu Maja Citra" in text
    assert "Pemasaran digital" in text
    assert "4-5 Juni 2026" in text
    assert "PLUT-KMJ-2026-000001" in text
    assert "PLUT Kota Mojokerto" in text


async def test_no_certificate_with_names_after_the_owner_was_erased() -> None:
    w = wired()
    session, enrollment_id = await completed_participant(w)
    await deliver(w, erased("u1"))
    with pytest.raises(StateConflict, match="erased"):
        await w.enrolment.certificate(session.session_id, enrollment_id, officer())


async def test_no_certificate_before_completion() -> None:
    w = wired()
    await register(w, "u1")
    session = await planned_session(w)
    placed = await w.enrolment.enrol(session.session_id, "u1", officer())
    with pytest.raises(StateConflict, match="confirmed, not completed"):
        await w.enrolment.certificate(
            session.session_id, placed.enrollment.enrollment_id, officer()
        )


def test_numbers_carry_the_centre_code_year_and_six_digits() -> None:
    assert certificate_number("kota-mojokerto", 2026, 123) == "PLUT-KMJ-2026-000123"
    counter = CertificateCounter("batu", 2027, last=9)
    assert counter.take(2) == ["PLUT-BTU-2027-000010", "PLUT-BTU-2027-000011"]
    assert counter.last == 11


def test_dates_are_written_the_indonesian_way() -> None:
    assert date_range_id(date(2026, 6, 30), date(2026, 7, 1)) == "30 Juni - 1 Juli 2026"
    assert date_range_id(date(2026, 8, 17), date(2026, 8, 17)) == "17 Agustus 2026"


def test_characters_outside_the_pdf_font_fall_back_to_their_letters() -> None:
    assert latin1("Ngatiyem Śri Ṡ") == "Ngatiyem Sri S"
    assert latin1("Café") == "Café"
