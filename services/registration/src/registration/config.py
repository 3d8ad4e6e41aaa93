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
    page_size_max: int = Field(default=100, ge=1, description="Largest page a list may ask for.")
