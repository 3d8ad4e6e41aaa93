"""Schemes, routing and holidays are versioned data, validated when they are loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from financing.domain.routing import PartnerRouter
from financing.domain.rules import load_routing, load_schemes
from plut_shared.contracts.financing import FinancingScheme
from pydantic import ValidationError


def test_the_kur_limits_are_those_of_the_regulation() -> None:
    book = load_schemes()
    ranges = {s.scheme: (s.min_amount, s.max_amount) for s in book.schemes}
    assert ranges[FinancingScheme.SUPER_MIKRO] == (1, 10_000_000)
    assert ranges[FinancingScheme.MIKRO] == (10_000_001, 100_000_000)
    assert ranges[FinancingScheme.KECIL] == (100_000_001, 500_000_000)
    assert FinancingScheme.LPDB in ranges
    assert all(s.required_consent == "financing_partners" for s in book.schemes)
    assert book.version


def test_routing_picks_the_centres_partner_else_the_schemes_fallback() -> None:
    router = PartnerRouter(load_routing())
    mojokerto = router.partner_for(FinancingScheme.MIKRO, "kota-mojokerto")
    elsewhere = router.partner_for(FinancingScheme.MIKRO, "pacitan")
    assert mojokerto is not None and mojokerto.partner_id == "bank-jatim"
    assert elsewhere is not None and elsewhere.partner_id == "bri"


def test_a_scheme_whose_minimum_exceeds_its_maximum_is_refused(tmp_path: Path) -> None:
    data = json.loads(load_schemes().model_dump_json())
    data["schemes"][0]["min_amount"] = data["schemes"][0]["max_amount"] + 1
    path = tmp_path / "schemes.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="min_amount is above max_amount"):
        load_schemes(path)


def test_a_route_to_an_unknown_partner_is_refused(tmp_path: Path) -> None:
    data = json.loads(load_routing().model_dump_json())
    data["fallback"]["kur_mikro"] = "no-such-bank"
    path = tmp_path / "partners.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="unknown partners"):
        load_routing(path)


def test_a_partner_id_that_cannot_be_a_routing_key_is_refused(tmp_path: Path) -> None:
    data = json.loads(load_routing().model_dump_json())
    data["partners"][0]["partner_id"] = "bank.jatim"
    path = tmp_path / "partners.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="partner_id"):
        load_routing(path)
