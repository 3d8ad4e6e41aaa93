"""Settings of the notifications service (env prefix `PLUT_NOTIFICATIONS_`).

Secrets (SMTP password, provider token) come from the environment only and
are `SecretStr`, so printing the settings does not show them.
"""

from __future__ import annotations

from plut_shared.settings import ServiceSettings
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PLUT_NOTIFICATIONS_", extra="ignore")

    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for email.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="plut@localhost", description="From address of emails.")
    smtp_username: str | None = Field(default=None)
    smtp_password: SecretStr | None = Field(default=None)
    smtp_starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    provider_base_url: str = Field(
        default="http://127.0.0.1:8090", description="WhatsApp/SMS provider API base URL."
    )
    provider_token: SecretStr = Field(default=SecretStr(""), description="Provider API token.")
    provider_timeout_s: float = Field(default=10.0, gt=0)
    max_attempts: int = Field(
        default=5, ge=1, description="Delivery attempts per channel before falling back."
    )
    backoff_base_s: float = Field(
        default=30.0, gt=0, description="First retry delay; doubles with each attempt."
    )
    backoff_max_s: float = Field(default=3600.0, gt=0, description="Longest retry delay.")
    dispatch_poll_interval_s: float = Field(
        default=5.0, gt=0, description="How often the dispatcher looks for due messages."
    )
    dispatch_concurrency: int = Field(default=10, ge=1, description="Sends in flight at once.")
    dispatch_shutdown_grace_s: float = Field(
        default=10.0, ge=0, description="How long stopping waits for sends in flight."
    )
    send_lease_s: float = Field(
        default=120.0,
        gt=0,
        description="After this long a message stuck in `sending` (crashed sender) is retried.",
    )
