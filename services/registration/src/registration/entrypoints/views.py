"""Response models: what the API shows of an enterprise, with NIK masked for viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from registration.adapters.audit import AuditEntry
from registration.domain.identity import mask_nik
from registration.domain.record import EnterpriseRecord


class OwnerView(BaseModel):
    name: str
    nik: str = Field(description="Full for admins and officers, masked for viewers.")
    phone: str = Field(description="E.164, e.g. `+6281234567890`.")
    email: str | None
    preferred_channel: str
    language: str


class AddressView(BaseModel):
    province: str
    regency_city: str
    district: str
    village: str | None


class BusinessView(BaseModel):
    name: str | None = Field(description="None once the owner asked for erasure.")
    nib: str | None
    sector: str
    address: AddressView
    founding_year: int | None


class ConsentView(BaseModel):
    granted: bool
    at: datetime | None
    source: str | None


class EnterpriseView(BaseModel):
    umkm_id: str
    centre_id: str
    registered_at: datetime
    owner: OwnerView | None = Field(description="None once the owner asked for erasure.")
    business: BusinessView
    capital: int = Field(description="Rupiah, excluding land and buildings.")
    annual_sales: int | None = Field(description="Rupiah.")
    employees: int
    scale_class: str = Field(description="PP 7/2021 class: micro, small, medium or large.")
    consents: dict[str, ConsentView]
    erased: bool
    erased_at: datetime | None
    version: int
    possible_duplicates: list[str] = Field(
        description="Enterprises in the same village with a similar business name, for an "
        "officer to review; registration was not blocked."
    )

    @classmethod
    def of(cls, stored: EnterpriseRecord, *, sees_nik: bool) -> EnterpriseView:
        data: dict[str, Any] = stored.enterprise.export()
        if data["owner"] is not None and not sees_nik:
            data["owner"] = data["owner"] | {"nik": mask_nik(data["owner"]["nik"])}
        return cls.model_validate(
            data
            | {
                "version": stored.enterprise.version,
                "possible_duplicates": stored.possible_duplicates,
            }
        )


class EnterprisePage(BaseModel):
    items: list[EnterpriseView]
    total: int = Field(description="Matches across all pages.")
    limit: int
    offset: int


class AuditEntryView(BaseModel):
    actor: str = Field(description="Subject of the token that acted; never a person's name.")
    role: str
    action: str
    umkm_id: str
    centre_id: str
    at: datetime
    correlation_id: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryView:
        return cls(**entry.__dict__)
