"""Response models: what the API shows of an enterprise, with NIK masked for viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from registration.adapters.audit import AuditEntry
from registration.domain.identity import mask_nik
from registration.domain.record import EnterpriseRecord
from registration.import_report import ImportReport

PREVIEW = 100  # rows of each list an import's answer carries


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


class RowErrorView(BaseModel):
    row: int = Field(description="Spreadsheet row number; the header is row 1.")
    field: str
    error: str


class ImportReportView(BaseModel):
    """Counts, and the first rows of each list; the rest is at `rows_url`, a page at a time."""

    import_id: str
    rows: int = Field(description="Data rows read, empty ones included.")
    created: int
    rejected: int = Field(description="Rows not imported, each with at least one error.")
    empty_rows: int
    errors: list[RowErrorView] = Field(
        description=f"The first {PREVIEW} errors, by row; `errors_total` counts them all."
    )
    errors_total: int
    created_ids: dict[int, str] = Field(
        description=f"Row -> umkm_id of the first {PREVIEW} enterprises created."
    )
    possible_duplicates: dict[int, list[str]] = Field(
        description="Row -> similar enterprises of the same centre, for the rows in created_ids."
    )
    complete: bool = Field(description="False when a list above was cut short.")
    rows_url: str = Field(description="Every row's outcome, a page at a time.")

    @classmethod
    def of(cls, report: ImportReport) -> ImportReportView:
        created = dict(sorted(report.created.items())[:PREVIEW])
        return cls(
            import_id=report.import_id,
            rows=report.rows,
            created=len(report.created),
            rejected=report.rejected,
            empty_rows=report.empty_rows,
            errors=[RowErrorView(**error.__dict__) for error in report.errors[:PREVIEW]],
            errors_total=len(report.errors),
            created_ids=created,
            possible_duplicates={
                r: report.possible_duplicates[r] for r in created if r in report.possible_duplicates
            },
            complete=len(report.errors) <= PREVIEW and len(report.created) <= PREVIEW,
            rows_url=f"/imports/{report.import_id}/rows",
        )


class FieldErrorView(BaseModel):
    field: str
    error: str


class RowOutcomeView(BaseModel):
    row: int = Field(description="Spreadsheet row number; the header is row 1.")
    umkm_id: str | None = Field(description="The enterprise created, or None if rejected.")
    errors: list[FieldErrorView]
    possible_duplicates: list[str]


class ImportRowsPage(BaseModel):
    import_id: str
    items: list[RowOutcomeView] = Field(description="Created and rejected rows, by row number.")
    total: int = Field(description="Created and rejected rows in the whole import.")
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
