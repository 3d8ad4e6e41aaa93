"""Commands: the HTTP bodies and import rows the service accepts.

Their validators call the same normalisers as the aggregate, so each field
gets one clear message (FastAPI answers 422 with one entry per field) and the
values the handlers receive are already normalised.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from plut_shared.contracts.registration import Channel, Language
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from registration.domain.centres import validate_centre_id
from registration.domain.enterprise import Enterprise
from registration.domain.fields import MAX_EMPLOYEES, MAX_RUPIAH, clean_text, normalise_field
from registration.domain.profile import Address, Business, ConsentPurpose, Owner

_TEXT_FIELDS = ("owner_name", "nik", "phone", "business_name", "nib", "sector")
_PLACE_FIELDS = ("province", "regency_city", "district", "village")
_NUMBER_FIELDS = ("founding_year", "employees")


def _date_text(value: Any) -> Any:
    # JSON has no dates: a number here is a mistake, not 1970-01-01 plus seconds.
    if isinstance(value, str | date):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


# No coercion where it would be wrong: `0` or `"yes"` is not a consent, `true` not an amount.
Flag = Annotated[bool, Strict()]
Whole = Annotated[int, Strict()]
Day = Annotated[date, BeforeValidator(_date_text)]


def _profile_field(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    assert info.field_name is not None
    return normalise_field(info.field_name, value)


def _choice_field(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    # Before pydantic's enum check, so "WhatsApp" is accepted like "whatsapp".
    if value is None:
        return value
    assert info.field_name is not None
    return normalise_field(info.field_name, value)


def _email_field(cls: type[BaseModel], value: Any, info: ValidationInfo) -> str | None:
    email = normalise_field("email", value)
    if email is None and info.data.get("preferred_channel") is Channel.EMAIL:
        raise ValueError("email is required when the preferred channel is email")
    return email


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegisterEnterprise(Command):
    owner_name: str = Field(description="Owner's full name.")
    nik: str = Field(description="Owner's 16-digit NIK.")
    phone: str = Field(description="Owner's phone; `08..`, `628..`, `+62..` are accepted.")
    preferred_channel: Channel = Field(default=Channel.WHATSAPP)
    email: str | None = Field(default=None, validate_default=True)
    language: Language = Field(default=Language.ID)
    business_name: str = Field(description="Trading name of the business.")
    nib: str | None = Field(default=None, description="13-digit NIB from OSS, if any.")
    sector: str = Field(description="Business sector, e.g. `alas kaki`, `kuliner`.")
    province: str = Field(default="Jawa Timur")
    regency_city: str = Field(description="Kabupaten or kota.")
    district: str = Field(description="Kecamatan.")
    village: str | None = Field(default=None, description="Desa or kelurahan.")
    founding_year: Whole | None = None
    capital: Whole = Field(
        ge=0, le=MAX_RUPIAH, description="Capital excluding land and buildings, rupiah."
    )
    annual_sales: Whole | None = Field(
        default=None, ge=0, le=MAX_RUPIAH, description="Annual sales, rupiah."
    )
    employees: Whole = Field(default=0, ge=0, le=MAX_EMPLOYEES)
    centre_id: str = Field(description="PLUT centre, e.g. `kota-mojokerto`.")
    consent_financing_partners: Flag = False
    consent_marketing: Flag = False

    _profile = field_validator(*_TEXT_FIELDS, *_PLACE_FIELDS, *_NUMBER_FIELDS)(_profile_field)
    _choices = field_validator("preferred_channel", "language", mode="before")(_choice_field)
    _email = field_validator("email")(_email_field)

    @field_validator("centre_id")
    @classmethod
    def _centre(cls, value: str) -> str:
        return validate_centre_id(value)

    def address(self) -> Address:
        return Address(self.province, self.regency_city, self.district, self.village)


class UpdateFinancials(Command):
    capital: Whole | None = Field(default=None, ge=0, le=MAX_RUPIAH, description="Capital, rupiah.")
    annual_sales: Whole | None = Field(
        default=None, ge=0, le=MAX_RUPIAH, description="Annual sales, rupiah."
    )
    effective_date: Day | None = Field(default=None, description="Defaults to today.")

    @model_validator(mode="after")
    def _some_figure(self) -> UpdateFinancials:
        if self.capital is None and self.annual_sales is None:
            raise ValueError("give capital, annual_sales or both")
        return self


class CorrectProfile(Command):
    """Only the fields sent are corrected; `email` and `nib` may be sent as null to remove."""

    owner_name: str | None = None
    nik: str | None = None
    phone: str | None = None
    preferred_channel: Channel | None = None
    email: str | None = None
    language: Language | None = None
    business_name: str | None = None
    nib: str | None = None
    sector: str | None = None
    province: str | None = None
    regency_city: str | None = None
    district: str | None = None
    village: str | None = None
    founding_year: Whole | None = None
    employees: Whole | None = Field(default=None, ge=0, le=MAX_EMPLOYEES)

    # Also after the choices' own check, so an explicit null is refused here, not later.
    _profile = field_validator(
        *_TEXT_FIELDS, *_PLACE_FIELDS, *_NUMBER_FIELDS, "email", "preferred_channel", "language"
    )(_profile_field)
    _choices = field_validator("preferred_channel", "language", mode="before")(_choice_field)

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class SetConsent(Command):
    purpose: ConsentPurpose
    granted: Flag
    source: str = Field(default="officer", description="Where it was given, e.g. `form`.")

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        return clean_text("source", value)


def enterprise_from_command(
    command: RegisterEnterprise, *, umkm_id: str, at: datetime
) -> Enterprise:
    owner = Owner(
        name=command.owner_name,
        nik=command.nik,
        phone=command.phone,
        email=command.email,
        preferred_channel=command.preferred_channel,
        language=command.language,
    )
    business = Business(
        command.business_name, command.nib, command.sector, command.address(), command.founding_year
    )
    return Enterprise.register(
        umkm_id=umkm_id,
        centre_id=command.centre_id,
        owner=owner,
        business=business,
        capital=command.capital,
        annual_sales=command.annual_sales,
        employees=command.employees,
        consents={
            ConsentPurpose.FINANCING_PARTNERS: command.consent_financing_partners,
            ConsentPurpose.MARKETING: command.consent_marketing,
        },
        at=at,
    )
