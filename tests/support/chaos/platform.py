"""The platform for a chaos run, all private: its own broker node, store, provider sink.

Nothing here touches the shared broker or store, so the run may restart its
own. The broker node is provisioned as production is
(`plut_shared.messaging.provisioning`: vhost, shared exchanges, one user per
service), and the services run as real uvicorn processes connected as their
own broker users. A durable quorum queue bound to `registration.#`, read by the
administrator, sees every event registration publishes (it survives the
broker restart, like the services' queues).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from plut_cli.sinks import ProviderSink
from plut_shared.auth import TokenEntry
from plut_shared.messaging.provisioning import BrokerProvisioner, service_url
from plut_shared.messaging.topology import EVENTS_EXCHANGE
from plut_shared.messaging.trust import broker_user

from tests.support.chaos.daytime import OFFSET_VARIABLE, offset_to_morning
from tests.support.chaos.services import ServiceProcess
from tests.support.private_broker import PrivateBroker, free_low_port
from tests.support.private_store import PrivateStore

VHOST = "plut-chaos"
PROBE_QUEUE = "chaos.registration-events"
SERVICES = ("registration", "notifications")


@dataclass
class ChaosSettings:
    """Per-service settings (`PLUT_<SERVICE>_<NAME>`), e.g. shorter sweeps for a short run."""

    registration: dict[str, str] = field(default_factory=dict)
    notifications: dict[str, str] = field(default_factory=dict)
    log_level: str = "WARNING"


class ChaosPlatform:
    def __init__(self, settings: ChaosSettings | None = None, keep_logs: Path | None = None):
        self.settings = settings or ChaosSettings()
        self.keep_logs = keep_logs
        self.root = Path(tempfile.mkdtemp(prefix="plut-chaos-"))
        self.broker = PrivateBroker(self.root / "broker")
        (self.root / "store").mkdir()
        self.store = PrivateStore(self.root / "store")
        self.token = secrets.token_urlsafe(24)
        self.sink = ProviderSink(token=secrets.token_urlsafe(16))
        self.sink_running = False
        self.services: dict[str, ServiceProcess] = {}

    @property
    def admin_amqp_url(self) -> str:
        return self.broker.amqp_url.rstrip("/") + "/" + quote(VHOST, safe="")

    @property
    def vhost_path(self) -> str:
        return quote(VHOST, safe="")

    def database(self, service: str) -> str:
        return f"chaos_{service}"

    def start(self) -> None:
        self.broker.start()
        self.store.start()
        urls = self._provision()
        self.sink.start()
        self.sink_running = True
        self.services = {
            name: ServiceProcess(name, free_low_port(set()), self._env(name, urls), self.root)
            for name in SERVICES
        }
        # Notifications first: its queue must be bound before registration publishes.
        for name in ("notifications", "registration"):
            self.services[name].start()

    def _provision(self) -> dict[str, str]:
        provisioner = BrokerProvisioner(self.broker.management_url, "guest", "guest")
        passwords = {name: secrets.token_urlsafe(16) for name in SERVICES}
        provisioner.provision(VHOST, passwords)
        vhost = quote(VHOST, safe="")
        queue = {"durable": True, "arguments": {"x-queue-type": "quorum"}}
        provisioner.http.put(f"/queues/{vhost}/{PROBE_QUEUE}", json=queue).raise_for_status()
        provisioner.http.post(
            f"/bindings/{vhost}/e/{EVENTS_EXCHANGE}/q/{PROBE_QUEUE}",
            json={"routing_key": "registration.#"},
        ).raise_for_status()
        return {
            name: service_url(self.broker.amqp_url, VHOST, broker_user(name), password)
            for name, password in passwords.items()
        }

    def _env(self, service: str, urls: dict[str, str]) -> dict[str, str]:
        prefix = f"PLUT_{service.upper()}_"
        admin = TokenEntry.for_token(self.token, subject="chaos-admin", role="admin", centres=["*"])
        env = {
            "PLUT_MONGO_URL": self.store.url,
            "PLUT_API_TOKENS": json.dumps([admin.model_dump(mode="json")]),
            f"{prefix}AMQP_URL": urls[service],
            f"{prefix}DATABASE": self.database(service),
            f"{prefix}LOG_LEVEL": self.settings.log_level,
            OFFSET_VARIABLE: str(offset_to_morning()),
        }
        if service == "notifications":
            env[f"{prefix}PROVIDER_BASE_URL"] = self.sink.base_url
            env[f"{prefix}PROVIDER_TOKEN"] = self.sink.token or ""
        extra = getattr(self.settings, service)
        env.update({prefix + name.upper(): value for name, value in extra.items()})
        return _base_env() | env

    def restart_store(self) -> None:
        """Graceful: SIGTERM (the store closes its file), then start on the same file and port."""
        self.store.stop(signal.SIGTERM)
        self.store.start()

    def close(self) -> None:
        """Stops everything this run started, each step even when an earlier one failed."""
        try:
            for service in self.services.values():
                service.stop()
            if self.sink_running:
                self.sink.stop()
            if self.store.process is not None:
                self.store.stop(signal.SIGTERM)
        finally:
            try:
                self.broker.stop()
            finally:
                if self.keep_logs is not None:
                    self._copy_logs(self.keep_logs)
                shutil.rmtree(self.root, ignore_errors=True)

    def _copy_logs(self, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        logs = [*self.root.glob("*.log"), *self.root.glob("broker/log/*.log")]
        for log in [*logs, self.store.log_file]:
            if log.exists():
                shutil.copy(log, target / log.name)

    def __enter__(self) -> ChaosPlatform:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _base_env() -> dict[str, str]:
    """This process's environment without any PLUT_ setting that could point elsewhere."""
    return {name: value for name, value in os.environ.items() if not name.startswith("PLUT_")}
