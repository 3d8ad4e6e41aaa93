"""Settings of the financing service (env prefix `PLUT_FINANCING_`).

The service holds no partner's credentials: partners connect with their own
broker users, made by `plut partners add`; it needs only its own broker URL.
"""

from __future__ import annotations

from pathlib import Path

from plut_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class FinancingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLUT_FINANCING_", extra="ignore")

    schemes_file: Path | None = Field(
        default=None, description="Scheme rules (JSON); the packaged `data/schemes.json` if unset."
    )
    routing_file: Path | None = Field(
        default=None, description="Partners and routing (JSON); `data/partners.json` if unset."
    )
    holidays_file: Path | None = Field(
        default=None, description="Days off in WIB (JSON); `data/holidays.json` if unset."
    )
    escalation_interval_s: float = Field(
        default=300.0, gt=0, description="How often overdue partner answers are looked for."
    )
