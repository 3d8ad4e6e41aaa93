"""The demo enterprises: the Kota Mojokerto footwear cluster and a few per other centre."""

from __future__ import annotations

from collections import Counter

from plut_cli.demo.enterprises import demo_enterprises
from registration.domain.centres import PLUT_CENTRES
from registration.domain.commands import RegisterEnterprise
from registration.domain.identity import Sex, normalise_phone, validate_nib, validate_nik


def test_the_demo_is_the_same_on_every_run_and_changes_with_the_seed() -> None:
    assert demo_enterprises() == demo_enterprises()
    assert demo_enterprises(seed=7) != demo_enterprises()


def test_kota_mojokerto_has_its_35_footwear_ikm_and_every_other_centre_a_few() -> None:
    bodies = demo_enterprises()
    by_centre = Counter(body["centre_id"] for body in bodies)
    assert by_centre["kota-mojokerto"] == 35
    assert set(by_centre) == set(PLUT_CENTRES)
    assert all(1 <= count <= 5 for centre, count in by_centre.items() if centre != "kota-mojokerto")
    mojokerto = [b for b in bodies if b["centre_id"] == "kota-mojokerto"]
    assert {b["sector"] for b in mojokerto} == {"alas kaki"}
    assert {b["regency_city"] for b in mojokerto} == {"Kota Mojokerto"}
    assert any(b["founding_year"] < 1995 for b in mojokerto)


def test_every_body_is_accepted_by_the_registration_command_model() -> None:
    for body in demo_enterprises():
        command = RegisterEnterprise.model_validate(body)
        assert command.phone == body["phone"]  # already E.164


def test_identities_are_valid_unique_and_fictional() -> None:
    bodies = demo_enterprises()
    for field in ("nik", "phone", "nib"):
        assert len({body[field] for body in bodies}) == len(bodies), field
    for body in bodies:
        nik = validate_nik(body["nik"])
        assert nik.province_code == "35"  # Jawa Timur
        assert body["phone"].startswith("+628") and normalise_phone(body["phone"]) == body["phone"]
        assert len(validate_nib(body["nib"])) == 13
        assert body["email"] is None or body["email"].endswith("@example.com")
        assert nik.sex in (Sex.MALE, Sex.FEMALE)
    kota = [validate_nik(b["nik"]) for b in bodies if b["centre_id"] == "kota-mojokerto"]
    assert {(n.province_code, n.regency_code) for n in kota} == {("35", "76")}
    assert {n.sex for n in kota} == {Sex.MALE, Sex.FEMALE}
