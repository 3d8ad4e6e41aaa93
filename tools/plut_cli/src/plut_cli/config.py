"""Where `plut` finds things: the same environment variables as the services.

PLUT_AMQP_URL, PLUT_MONGO_URL and PLUT_RABBIT_MANAGEMENT_URL as in the
README's configuration table; PLUT_API_TOKEN (or `--token`) for the HTTP APIs;
PLUT_<SERVICE>_URL for a service's base URL (the local run's ports by default)
and PLUT_<SERVICE>_DATABASE for its database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from plut_shared.messaging.provisioning import DEFAULT_VHOST
from plut_shared.settings import LOCAL_AMQP_URL, LOCAL_MONGO_URL

LOCAL_MANAGEMENT_URL = "http://127.0.0.1:15672/"
TOKEN_ENV = "PLUT_API_TOKEN"  # noqa: S105 (a variable name)


@dataclass(frozen=True)
class ServiceInfo:
    """What an operator needs to know of a service to look at it from outside."""

    name: str
    port: int
    outbox_collections: tuple[str, ...]

    @property
    def base_url(self) -> str:
        default = f"http://127.0.0.1:{self.port}"
        return os.environ.get(f"PLUT_{self.name.upper()}_URL", default).rstrip("/")

    @property
    def database(self) -> str:
        return os.environ.get(f"PLUT_{self.name.upper()}_DATABASE") or self.name


SERVICES: tuple[ServiceInfo, ...] = (
    ServiceInfo("registration", 8001, ("enterprises",)),
    ServiceInfo("training", 8002, ("sessions", "appointments")),
    ServiceInfo("financing", 8003, ("referrals", "enterprises", "course_sessions")),
    ServiceInfo("notifications", 8004, ("messages",)),
)
SERVICE_NAMES = tuple(service.name for service in SERVICES)


def service(name: str) -> ServiceInfo:
    return next(s for s in SERVICES if s.name == name)


def local_platform_url() -> str:
    """The local broker on the vhost `scripts/infra.py up` provisions for the platform."""
    vhost = os.environ.get("PLUT_BROKER_VHOST", DEFAULT_VHOST)
    return urlunsplit(urlsplit(LOCAL_AMQP_URL)._replace(path="/" + quote(vhost, safe="")))


@dataclass(frozen=True)
class Infrastructure:
    amqp_url: str
    mongo_url: str
    management_url: str

    @classmethod
    def from_env(cls) -> Infrastructure:
        return cls(
            amqp_url=os.environ.get("PLUT_AMQP_URL") or local_platform_url(),
            mongo_url=os.environ.get("PLUT_MONGO_URL", LOCAL_MONGO_URL),
            management_url=os.environ.get("PLUT_RABBIT_MANAGEMENT_URL", LOCAL_MANAGEMENT_URL),
        )

    @property
    def vhost(self) -> str:
        path = urlsplit(self.amqp_url).path
        return unquote(path[1:]) if len(path) > 1 else "/"

    @property
    def broker_credentials(self) -> tuple[str, str]:
        """The management API's user: from its own URL, else the AMQP URL's."""
        for url in (self.management_url, self.amqp_url):
            parts = urlsplit(url)
            if parts.username:
                return unquote(parts.username), unquote(parts.password or "")
        return "guest", "guest"

    @property
    def management_base(self) -> str:
        parts = urlsplit(self.management_url)
        netloc = parts.hostname or "127.0.0.1"
        netloc += f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}/api"


def api_token(option: str | None) -> str:
    from plut_cli.errors import CliError

    token = option or os.environ.get(TOKEN_ENV, "")
    if not token.strip():
        raise CliError(f"no API token: pass --token or set {TOKEN_ENV}")
    return token.strip()
