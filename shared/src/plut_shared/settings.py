"""Settings every service shares; each service subclasses with its own env prefix.

A value is looked up as `<PREFIX><NAME>` (e.g. `PLUT_REGISTRATION_AMQP_URL`),
then, for the broker and store URLs and the broker user prefix, as the
platform-wide `PLUT_AMQP_URL` / `PLUT_MONGO_URL` / `PLUT_BROKER_USER_PREFIX`,
then falls back to the local development defaults. Each service connects to the
broker as its own user (`<prefix><service>`, see `plut_shared.messaging.trust`),
so its broker URL is normally set per service.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_MONGO_URL = "mongodb://127.0.0.1:27017/"


def _platform_env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _platform_secret(name: str) -> SecretStr | None:
    value = os.environ.get(name)
    return SecretStr(value) if value else None


def _platform_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLUT_SERVICE_", extra="ignore")

    amqp_url: str = Field(
        default_factory=lambda: _platform_env("PLUT_AMQP_URL", LOCAL_AMQP_URL),
        description="RabbitMQ URL, including the vhost.",
    )
    mongo_url: str = Field(
        default_factory=lambda: _platform_env("PLUT_MONGO_URL", LOCAL_MONGO_URL),
        description="MongoDB-wire store URL (MongoDB, or the local store).",
    )
    database: str = Field(default="", description="Database name; defaults to the service name.")
    retry_delays_ms: tuple[int, ...] = Field(
        default=(5_000, 30_000, 300_000), description="Delayed retry tiers in milliseconds."
    )
    immediate_attempts: int = Field(default=3, ge=1, description="Attempts before a delayed retry.")
    delivery_limit: int = Field(default=5, ge=1, description="Redeliveries before parking.")
    prefetch: int = Field(default=20, ge=1, description="Unacked messages per consumer.")
    parking_watch_interval_s: float = Field(
        default=30.0, gt=0, description="How often the parking lot's depth is read for metrics."
    )
    graceful_timeout_s: float = Field(default=15.0, description="Wait for in-flight handlers.")
    relay_sweep_interval_s: float = Field(
        default=30.0, description="Period of the outbox sweep for events a crash left behind."
    )
    relay_lease_s: float = Field(
        default=30.0, description="How long a relay owns a document's outbox before another may."
    )
    log_level: str = Field(default="INFO")
    broker_user_prefix: str = Field(
        default_factory=lambda: _platform_env("PLUT_BROKER_USER_PREFIX", "plut-"),
        description="Broker users are `<prefix><service>`; events are accepted only from "
        "the user of the service that owns their type.",
    )
    max_message_bytes: int = Field(
        default=1_000_000, ge=1, description="Larger deliveries are parked unread."
    )
    consumer_stall_after_s: float = Field(
        default=120.0,
        gt=0,
        description="/health reports a consumer as stalled when it holds deliveries and "
        "has finished none for this long.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1,
        description="Largest HTTP request body, in bytes; a larger one gets a 413 unread. "
        "An upload endpoint may have its own limit.",
    )
    metrics_token: SecretStr | None = Field(
        default_factory=lambda: _platform_secret("PLUT_METRICS_TOKEN"),
        description="Bearer token Prometheus sends to /metrics; without one /metrics "
        "refuses every request.",
    )
    metrics_token_file: Path | None = Field(
        default_factory=lambda: _platform_path("PLUT_METRICS_TOKEN_FILE"),
        description="File holding the metrics token (its first line); wins over metrics_token.",
    )
