"""Schemes, partner routing and the holiday calendar as versioned data, not code.

The files live in `financing/data/` (an operator may point the service at
others, see `config.py`); each carries a `version` that every referral records,
so a decision can be traced to the rules it was made under. Loading validates
everything at start-up: a broken file stops the service with the field named,
instead of producing wrong referrals later.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Literal

from plut_shared.contracts.financing import FinancingScheme
from plut_shared.contracts.partners import PartnerId
from plut_shared.contracts.registration import ScaleClass
from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_AMOUNT = 10**15  # the contracts' bound on rupiah


class PartnerField(StrEnum):
    """Applicant fields a scheme may share with its partner (`contracts.partners.Applicant`)."""

    BUSINESS_NAME = "business_name"
    SECTOR = "sector"
    SCALE_CLASS = "scale_class"
    FOUNDING_YEAR = "founding_year"
    OWNER_NAME = "owner_name"
    NIK = "nik"
    PHONE = "phone"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scheme(_Data):
    scheme: FinancingScheme
    name_id: str
    name_en: str
    min_amount: int = Field(ge=1, le=MAX_AMOUNT)
    max_amount: int = Field(ge=1, le=MAX_AMOUNT)
    scale_classes: frozenset[ScaleClass]
    min_business_age_years: int = Field(ge=0, le=100)
    required_consent: Literal["financing_partners"]
    prerequisite_course: str | None = None
    partner_fields: tuple[PartnerField, ...]

    @model_validator(mode="after")
    def _range(self) -> Scheme:
        if self.min_amount > self.max_amount:
            raise ValueError(f"{self.scheme}: min_amount is above max_amount")
        return self


class SchemeBook(_Data):
    version: str
    source: str = ""
    schemes: tuple[Scheme, ...]

    def get(self, scheme: FinancingScheme) -> Scheme | None:
        return next((s for s in self.schemes if s.scheme == scheme), None)


class Partner(_Data):
    partner_id: PartnerId
    name: str
    sla_working_days: int = Field(ge=1, le=60)


class Route(_Data):
    scheme: FinancingScheme
    centre_id: str
    partner_id: PartnerId


class Routing(_Data):
    version: str
    partners: tuple[Partner, ...]
    routes: tuple[Route, ...] = ()
    fallback: dict[FinancingScheme, PartnerId]

    @model_validator(mode="after")
    def _known_partners(self) -> Routing:
        known = {partner.partner_id for partner in self.partners}
        named = {route.partner_id for route in self.routes} | set(self.fallback.values())
        if named - known:
            raise ValueError(f"routes name unknown partners {sorted(named - known)}")
        return self


class DayOff(_Data):
    date: date
    name: str
    kind: Literal["holiday", "collective_leave"]
    provisional: bool = False


class HolidayData(_Data):
    version: str
    source: str = ""
    years: tuple[int, ...]
    days: tuple[DayOff, ...]


def _read(path: Path | None, packaged: str) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return resources.files("financing.data").joinpath(packaged).read_text(encoding="utf-8")


def load_schemes(path: Path | None = None) -> SchemeBook:
    return SchemeBook.model_validate(json.loads(_read(path, "schemes.json")))


def load_routing(path: Path | None = None) -> Routing:
    return Routing.model_validate(json.loads(_read(path, "partners.json")))


def load_holidays(path: Path | None = None) -> HolidayData:
    return HolidayData.model_validate(json.loads(_read(path, "holidays.json")))
