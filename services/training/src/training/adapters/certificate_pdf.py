"""The certificate as a one-page PDF, in Bahasa Indonesia.

Rendered on request from the completion and the names training holds, never
stored: after an erasure there is no copy with the owner's name left here.
The PDF core font covers Latin-1 only (no font file ships with the service),
so other characters are written as their closest Latin letter.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, time

from fpdf import FPDF

from training.domain.times import date_range_id, tanggal
from training.handlers.enrolment import CertificateData

FONT = "Helvetica"


def latin1(text: str) -> str:
    """`text` in the core font's alphabet: accents kept where Latin-1 has them, else dropped."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def render_certificate(data: CertificateData) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(latin1(f"Sertifikat {data.certificate_number}"))
    pdf.set_creator("PLUT platform")
    # A fixed creation date: the same completion always renders the same bytes.
    pdf.set_creation_date(datetime.combine(data.issued_on, time(0, 0), tzinfo=UTC))
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    _write_body(pdf, data)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, size: int, style: str = "", gap: float = 4) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _write_body(pdf: FPDF, data: CertificateData) -> None:
    pdf.ln(8)
    _line(pdf, "SERTIFIKAT", 34, "B", 2)
    _line(pdf, f"Nomor: {data.certificate_number}", 13, "", 10)
    _line(pdf, "Diberikan kepada", 14)
    _line(pdf, data.owner_name, 26, "B", 2)
    _line(pdf, f"pemilik usaha {data.business_name}", 15, "", 8)
    _line(pdf, "atas keberhasilannya menyelesaikan pelatihan", 14)
    _line(pdf, f'"{data.course_title}"', 20, "B", 4)
    dates = date_range_id(data.days[0], data.days[-1])
    _line(pdf, f"yang diselenggarakan oleh {data.centre_name} pada {dates}.", 14, "", 14)
    _line(pdf, f"Diterbitkan {tanggal(data.issued_on)}", 12, "", 16)
    _line(pdf, f"Kepala {data.centre_name}", 12)
