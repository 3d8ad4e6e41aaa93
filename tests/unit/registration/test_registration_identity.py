from __future__ import annotations

from datetime import date

import pytest
from registration.domain.errors import DomainValidationError
from registration.domain.identity import (
    PROVINCES,
    Sex,
    mask_nik,
    normalise_email,
    normalise_phone,
    validate_nib,
    validate_nik,
)

from tests.unit.registration.examples import MAN_NIK, WOMAN_NIK


def _nik_error(raw: str, today: date | None = None) -> str:
    with pytest.raises(DomainValidationError) as caught:
        validate_nik(raw, today)
    assert caught.value.field == "nik"
    return caught.value.message


def test_a_man_s_nik_gives_his_birth_date_and_region():
    nik = validate_nik(MAN_NIK)
    assert nik.birth_date == date(1985, 5, 15)
    assert nik.sex is Sex.MALE
    assert (nik.province_code, nik.regency_code, nik.district_code) == ("35", "76", "01")
    assert nik.serial == "0001"


def test_a_woman_s_nik_has_forty_added_to_the_birth_day():
    nik = validate_nik(WOMAN_NIK)
    assert nik.birth_date == date(1985, 5, 15)
    assert nik.sex is Sex.FEMALE


def test_surrounding_whitespace_is_stripped_from_a_nik():
    assert validate_nik(f"  {MAN_NIK}\n").value == MAN_NIK


def test_the_century_of_a_nik_is_the_latest_that_is_not_in_the_future():
    assert validate_nik("3576010101250003", date(2026, 1, 1)).birth_date == date(2025, 1, 1)
    assert validate_nik("3576010101250003", date(2024, 12, 31)).birth_date == date(1925, 1, 1)


def test_a_nik_with_an_unknown_province_code_is_rejected():
    assert "province" in _nik_error("2076011505850001")
    assert "province" in _nik_error("9776011505850001")


def test_every_papua_province_after_the_2022_split_has_a_code():
    assert {code for code in PROVINCES if code.startswith("9")} == {
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }
    assert validate_nik("9671011505850001").province_code == "96"


def test_a_nik_with_regency_or_district_00_is_rejected():
    assert "regency" in _nik_error("3500011505850001")
    assert "district" in _nik_error("3576001505850001")


def test_a_woman_s_day_above_71_is_not_a_date():
    assert "birth date" in _nik_error("3576017205850001")  # 32 + 40


def test_the_thirty_first_of_february_is_rejected():
    assert "birth date" in _nik_error("3576013102850001")
    assert "birth date" in _nik_error("3576017102850001")  # a woman's 31 Feb


def test_serial_0000_is_rejected():
    assert "serial" in _nik_error("3576011505850000")


def test_a_nik_of_the_wrong_length_is_rejected():
    assert "16 digits, got 15" in _nik_error("357601150585000")
    assert "16 digits, got 17" in _nik_error("35760115058500011")


def test_a_nik_with_letters_dots_or_inner_spaces_is_rejected():
    for raw in ("357601150585000A", "35.76.01.150585.0001", "3576 0115 0585 0001"):
        assert "digits only" in _nik_error(raw)


def test_an_error_message_never_echoes_the_nik():
    assert "357601" not in _nik_error("3576013102850001")


def test_a_nib_is_exactly_thirteen_digits():
    assert validate_nib(" 1234567890123 ") == "1234567890123"
    for raw in ("123456789012", "12345678901234", "12345678901a3"):
        with pytest.raises(DomainValidationError, match="13 digits"):
            validate_nib(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "6281234567890",
        "+6281234567890",
        "+62 081234567890",
        "+62 0812-3456-7890",
        "0812 3456 7890",
        "0812-3456-7890",
        "0812.3456.7890",
        "(0812) 3456 7890",
        "62 812 3456 7890",
    ],
)
def test_the_ways_people_write_a_mobile_number_all_give_e164(raw: str):
    assert normalise_phone(raw) == "+6281234567890"


def test_a_fixed_line_number_is_accepted():
    assert normalise_phone("(0321) 321456") == "+62321321456"


@pytest.mark.parametrize(
    "raw",
    ["0812345", "12345", "+14155550123", "0800123456", "0812-ABC-7890", "", "phone"],
)
def test_a_number_that_is_not_an_indonesian_mobile_or_fixed_line_is_rejected(raw: str):
    with pytest.raises(DomainValidationError) as caught:
        normalise_phone(raw)
    assert caught.value.field == "phone"


def test_an_email_is_normalised_without_a_dns_lookup():
    assert normalise_email(" Siti@Example.ID ") == "Siti@example.id"


def test_an_email_without_a_domain_is_rejected():
    with pytest.raises(DomainValidationError, match="email is not valid"):
        normalise_email("siti@")


def test_a_masked_nik_shows_only_the_region_and_the_last_two_digits():
    assert mask_nik("3576011505850001") == "357601********01"
