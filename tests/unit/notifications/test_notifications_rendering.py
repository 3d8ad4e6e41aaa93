from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from notifications.domain.formatting import label, rupiah, tanggal
from notifications.domain.rendering import (
    LANGUAGES,
    RenderedMessage,
    RenderingError,
    message_context,
    render,
)
from notifications.domain.rules import RULES

from tests.unit.notifications.examples import EXAMPLES, REJECTED, contact, example_for


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.event_type}->{rule.template}")
def test_every_template_renders_in_both_languages_from_contract_payloads(rule, language):
    message = render(rule.template, language, message_context(example_for(rule), contact()))
    assert message.subject
    assert message.body
    for leftover in ("{{", "{%", "None", "_"):
        assert leftover not in message.subject + message.body


def test_indonesian_rupiah_uses_dots_and_no_decimals():
    assert rupiah(10_000_000) == "Rp10.000.000"
    assert rupiah(500) == "Rp500"


def test_indonesian_dates_are_spelled_out_in_western_indonesia_time():
    assert tanggal(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)) == "Senin, 30 November 2026 09.00 WIB"


def test_a_utc_evening_is_already_the_next_day_in_jakarta():
    moment = datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    assert tanggal(moment) == "Selasa, 1 Desember 2026 01.30 WIB"


def test_a_plain_date_has_no_time():
    assert tanggal(date(2026, 12, 1)) == "Selasa, 1 Desember 2026"


def test_english_formatting_keeps_rupiah_and_wib():
    assert rupiah(10_000_000, "en_ID") == "Rp10.000.000"
    assert tanggal(datetime(2026, 11, 30, 2, 0, tzinfo=UTC), "en_ID") == (
        "Monday, 30 November 2026 09.00 WIB"
    )


def test_a_naive_datetime_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="timezone-aware"):
        tanggal(datetime(2026, 11, 30, 9, 0))


def test_labels_translate_contract_codes():
    assert label("small") == "Kecil"
    assert label("kur_super_mikro") == "KUR Super Mikro"
    assert label("partnership_networks", "en") == "partnership networks"
    assert label("new_area") == "new area"


def test_the_naik_kelas_message_reads_as_written():
    event = EXAMPLES["registration.umkm.scale_changed"]
    message = render("naik_kelas", "id", message_context(event, contact()))
    assert message.subject == "Selamat, Sepatu Maja Citra naik kelas!"
    assert message.body == (
        "Selamat, Sepatu Maja Citra naik kelas dari Mikro menjadi Kecil! "
        "Berlaku mulai Selasa, 1 Desember 2026. Terima kasih atas kerja keras Anda, terus semangat!"
    )


def test_a_rejection_quotes_the_amount_and_the_reason():
    message = render("referral_rejected", "id", message_context(REJECTED, contact()))
    assert message.body == (
        "Halo Bapak/Ibu Siti Rahayu, mohon maaf, pengajuan KUR Mikro sebesar Rp50.000.000 "
        "belum dapat disetujui. Alasan: Riwayat kredit belum memenuhi syarat. "
        "Konsultan PLUT siap membantu Anda menyiapkan pengajuan berikutnya."
    )


def test_a_training_confirmation_gives_time_and_place():
    event = EXAMPLES["training.enrollment.confirmed"]
    message = render("enrollment_confirmed", "id", message_context(event, contact()))
    assert "Waktu: Senin, 30 November 2026 09.00 WIB. Tempat: Aula PLUT Kota Mojokerto." in (
        message.body
    )


def test_a_cancelled_mentoring_names_its_area_and_time_in_both_languages():
    event = EXAMPLES["training.mentoring.cancelled"]
    indonesian = render("mentoring_cancelled", "id", message_context(event, contact()))
    assert indonesian.subject == "Jadwal pendampingan usaha dibatalkan"
    assert indonesian.body == (
        "Halo Bapak/Ibu Siti Rahayu, jadwal pendampingan bidang pemasaran untuk Sepatu Maja "
        "Citra pada Senin, 30 November 2026 09.00 WIB dibatalkan. Silakan hubungi PLUT bila "
        "ingin membuat jadwal baru."
    )
    english = render("mentoring_cancelled", "en", message_context(event, contact()))
    assert english.subject == "Your business mentoring appointment was cancelled"
    assert "marketing mentoring for Sepatu Maja Citra on Monday, 30 November 2026" in english.body


def test_an_english_speaking_owner_gets_english():
    event = EXAMPLES["financing.referral.disbursed"]
    message = render("referral_disbursed", "en", message_context(event, contact()))
    assert message.subject == "Your KUR Mikro funds have been disbursed"
    assert "Rp50.000.000" in message.body


def test_a_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(RenderingError, match="business_name"):
        render("welcome", "id", {"owner_name": "Siti"})


def test_an_unknown_template_is_an_error():
    with pytest.raises(RenderingError, match="no template"):
        render("does_not_exist", "id", {})


def test_an_unknown_language_falls_back_to_indonesian():
    context = {"owner_name": "Siti", "business_name": "Toko A"}
    assert render("welcome", "jv", context) == render("welcome", "id", context)


def test_plain_text_is_not_html_escaped():
    message = render("welcome", "id", {"owner_name": "Siti", "business_name": "Batik A & B"})
    assert "Batik A & B" in message.body


def test_the_contact_supplies_names_the_event_does_not_carry():
    context = message_context(EXAMPLES["financing.referral.submitted"], contact())
    assert context["business_name"] == "Sepatu Maja Citra"
    assert context["amount"] == 50_000_000


def test_a_rendered_message_does_not_show_its_body_in_repr():
    assert "rahasia" not in repr(RenderedMessage(subject="Halo", body="rahasia"))
