"""Settings of the training service (env prefix `PLUT_TRAINING_`)."""

from __future__ import annotations

from plut_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class TrainingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLUT_TRAINING_", extra="ignore")

    waitlist_max: int = Field(
        default=200, ge=0, le=1000, description="Places on a session's waiting list."
    )
