"""Settings of the registration service (env prefix `PLUT_REGISTRATION_`)."""

from __future__ import annotations

from plut_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class RegistrationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLUT_REGISTRATION_", extra="ignore")

    import_max_bytes: int = Field(
        default=20_000_000, ge=1, description="Largest accepted bulk-import upload, in bytes."
    )
    import_max_rows: int = Field(
        default=20_000, ge=1, description="Most rows (after the header) one import file may have."
    )
    import_max_unzipped_bytes: int = Field(
        default=50_000_000,
        ge=1,
        description="Most bytes an XLSX workbook may unpack to, checked before unpacking.",
    )
    import_concurrency: int = Field(
        default=8,
        ge=1,
        description="Enterprises written at once during an import; the store serialises "
        "writes anyway, so more mostly adds contention.",
    )
    import_jobs_at_once: int = Field(
        default=2, ge=1, description="Imports run at once by one process; later ones wait queued."
    )
    import_job_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="An import whose process has not vouched for it this long (it renews "
        "every third of it) is marked failed: its process is gone.",
    )
