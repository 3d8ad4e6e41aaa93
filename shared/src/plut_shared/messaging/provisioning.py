"""Broker provisioning: the vhost, its shared exchanges, and one user per service.

    PLUT_BROKER_ADMIN_USER=... PLUT_BROKER_ADMIN_PASSWORD=... \\
    PLUT_REGISTRATION_BROKER_PASSWORD=... PLUT_NOTIFICATIONS_BROKER_PASSWORD=... \\
    python -m plut_shared.messaging.provisioning

Run by `scripts/infra.py up` locally and by the compose `broker-setup` step, with
an administrator's credentials, through the management HTTP API; idempotent.
The permissions below are the only place that says what a service's broker
user may do (README, Security):
- configure, write and read its own queues and its own exchange (`<service>.*`);
- bind its queues to `plut.events` (read) and publish there (write), but only
  routing keys `<service>.*` (topic permission);
- financing alone also publishes on `plut.partners` (routing keys `partner.*`)
  and binds its queue to `plut.partner-replies` (README, "Partner stream");
- nothing else: not the default exchange, not another service's queues, and it
  cannot change or delete the shared exchanges, which are declared here.
Partners' users are made by the operator command (`partner_provisioning`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from plut_shared.messaging.partners import PARTNER_REPLIES_EXCHANGE, PARTNERS_EXCHANGE
from plut_shared.messaging.topology import (
    EVENTS_EXCHANGE,
    UNROUTED_EXCHANGE,
    UNROUTED_QUEUE,
    UNROUTED_QUEUE_ARGUMENTS,
)
from plut_shared.messaging.trust import DEFAULT_USER_PREFIX, broker_user

SERVICES = ("registration", "notifications", "training", "financing")
DEFAULT_VHOST = "plut"
# Exchanges beyond `plut.events` a service writes to / reads (binds its queues to).
EXTRA_WRITES = {"financing": (PARTNERS_EXCHANGE,)}
EXTRA_READS = {"financing": (PARTNER_REPLIES_EXCHANGE,)}


def service_permissions(service: str, resources: str | None = None) -> dict[str, str]:
    """configure/write/read regexes; `resources` overrides the own-names pattern (tests)."""
    own = resources or rf"{re.escape(service)}\..*"
    writes = "|".join(map(re.escape, (EVENTS_EXCHANGE, *EXTRA_WRITES.get(service, ()))))
    reads = "|".join(map(re.escape, (EVENTS_EXCHANGE, *EXTRA_READS.get(service, ()))))
    return {
        "configure": f"^{own}$",
        "write": f"^({own}|{writes})$",
        "read": f"^({own}|{reads})$",
    }


def topic_permissions(service: str) -> list[dict[str, str]]:
    """Routing keys a service may publish: its own event types; financing also `partner.*`."""
    granted = [{"exchange": EVENTS_EXCHANGE, "write": rf"^{re.escape(service)}\.", "read": ".*"}]
    if PARTNERS_EXCHANGE in EXTRA_WRITES.get(service, ()):
        granted.append({"exchange": PARTNERS_EXCHANGE, "write": r"^partner\.", "read": ".*"})
    return granted


def service_url(amqp_url: str, vhost: str, user: str, password: str) -> str:
    """`amqp_url`'s host and port, with the service's user, password and vhost."""
    parts = urlsplit(amqp_url)
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(vhost, safe="")))


class BrokerProvisioner:
    """Talks to the management API as an administrator."""

    def __init__(self, management_url: str, admin_user: str, admin_password: str) -> None:
        self.admin_user = admin_user
        self.http = httpx.Client(
            base_url=management_url.rstrip("/") + "/api",
            auth=(admin_user, admin_password),
            timeout=10,
        )

    def _put(self, path: str, body: object) -> None:
        self.http.put(path, json=body).raise_for_status()

    def vhost(self, vhost: str) -> None:
        """The vhost, full rights on it for the administrator, and the shared exchanges."""
        v = quote(vhost, safe="")
        self._put(f"/vhosts/{v}", {})
        everything = {"configure": ".*", "write": ".*", "read": ".*"}
        self._put(f"/permissions/{v}/{quote(self.admin_user, safe='')}", everything)
        self._put(f"/exchanges/{v}/{UNROUTED_EXCHANGE}", {"type": "fanout", "durable": True})
        self._put(
            f"/exchanges/{v}/{EVENTS_EXCHANGE}",
            {
                "type": "topic",
                "durable": True,
                "arguments": {"alternate-exchange": UNROUTED_EXCHANGE},
            },
        )
        self._put(
            f"/queues/{v}/{UNROUTED_QUEUE}",
            {"durable": True, "arguments": UNROUTED_QUEUE_ARGUMENTS},
        )
        self.http.post(
            f"/bindings/{v}/e/{UNROUTED_EXCHANGE}/q/{UNROUTED_QUEUE}", json={"routing_key": ""}
        ).raise_for_status()
        for exchange in (PARTNERS_EXCHANGE, PARTNER_REPLIES_EXCHANGE):
            self._put(f"/exchanges/{v}/{exchange}", {"type": "topic", "durable": True})

    def user(self, name: str, password: str) -> None:
        self._put(f"/users/{quote(name, safe='')}", {"password": password, "tags": ""})

    def grant(self, vhost: str, user: str, service: str, resources: str | None = None) -> None:
        v, u = quote(vhost, safe=""), quote(user, safe="")
        self._put(f"/permissions/{v}/{u}", service_permissions(service, resources))
        for granted in topic_permissions(service):
            self._put(f"/topic-permissions/{v}/{u}", granted)

    def delete_user(self, name: str) -> None:
        self.http.delete(f"/users/{quote(name, safe='')}")

    def provision(
        self, vhost: str, passwords: Mapping[str, str], prefix: str = DEFAULT_USER_PREFIX
    ) -> dict[str, str]:
        """The vhost and a user per service in `passwords`; returns service -> user."""
        self.vhost(vhost)
        users = {}
        for service, password in passwords.items():
            users[service] = broker_user(service, prefix)
            self.user(users[service], password)
            self.grant(vhost, users[service], service)
        return users


def main() -> int:
    env = os.environ
    passwords = {
        s: env[f"PLUT_{s.upper()}_BROKER_PASSWORD"]
        for s in SERVICES
        if env.get(f"PLUT_{s.upper()}_BROKER_PASSWORD")
    }
    if not passwords:
        print("set PLUT_<SERVICE>_BROKER_PASSWORD for at least one service", file=sys.stderr)
        return 2
    provisioner = BrokerProvisioner(
        env.get("PLUT_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:15672/"),
        env["PLUT_BROKER_ADMIN_USER"],
        env["PLUT_BROKER_ADMIN_PASSWORD"],
    )
    vhost = env.get("PLUT_BROKER_VHOST", DEFAULT_VHOST)
    prefix = env.get("PLUT_BROKER_USER_PREFIX", DEFAULT_USER_PREFIX)
    users = provisioner.provision(vhost, passwords, prefix)
    print(f"vhost {vhost}: users {', '.join(sorted(users.values()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
