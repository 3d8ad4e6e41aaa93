"""Per-test-session RabbitMQ vhosts and service users through the management HTTP API.

Broker users are global, so each session makes its own (`plut-t<hex>-<service>`,
random passwords) and deletes them at the end; every vhost it creates is
provisioned as production is (`plut_shared.messaging.provisioning`): shared
exchanges declared, each service user granted its own names and event types.
The counter test service publishes `testkit.*` events from services named
`kernel-<hex>`, hence its own resource pattern; `testsink` may run the same
service but owns no event type it consumes (a consumer that is not the owner,
as notifications is for registration events).
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from plut_shared.messaging.partner_provisioning import PartnerProvisioner
from plut_shared.messaging.partners import partner_user
from plut_shared.messaging.provisioning import SERVICES, BrokerProvisioner, service_url
from plut_shared.messaging.trust import broker_user

TEST_SERVICES: dict[str, str | None] = {
    **dict.fromkeys(SERVICES),
    "testkit": r"kernel-[0-9a-f]+\..*",
    "testsink": r"kernel-[0-9a-f]+\..*",
}


class BrokerUnavailable(RuntimeError):
    pass


def with_vhost(amqp_url: str, vhost: str) -> str:
    parts = urlsplit(amqp_url)
    return urlunsplit(parts._replace(path="/" + quote(vhost, safe="")))


class VhostAdmin:
    def __init__(self, amqp_url: str, management_url: str) -> None:
        parts = urlsplit(amqp_url)
        self.user = parts.username or "guest"
        self.amqp_url = amqp_url
        self.client = httpx.Client(
            base_url=management_url.rstrip("/") + "/api",
            auth=(self.user, parts.password or "guest"),
            timeout=30,  # the management API slows down on a busy machine
        )
        self.provisioner = BrokerProvisioner(management_url, self.user, parts.password or "guest")
        self.user_prefix = f"plut-t{uuid.uuid4().hex[:8]}-"
        self.passwords = {service: secrets.token_urlsafe(16) for service in TEST_SERVICES}
        self._users_made = False
        self._partner_users: set[str] = set()

    def broker_user(self, service: str) -> str:
        return broker_user(service, self.user_prefix)

    def create(self, prefix: str = "plut-test") -> str:
        vhost = f"{prefix}-{uuid.uuid4().hex[:8]}"
        try:
            self.provisioner.vhost(vhost)
        except httpx.HTTPError as error:
            raise BrokerUnavailable(
                f"RabbitMQ broker management API at {self.client.base_url} did not answer "
                f"({error}); start the infrastructure with `scripts/infra.py up`"
            ) from error
        self._ensure_users()
        for service, resources in TEST_SERVICES.items():
            self.provisioner.grant(vhost, self.broker_user(service), service, resources)
        return vhost

    def _ensure_users(self) -> None:
        if not self._users_made:
            for service, password in self.passwords.items():
                self.provisioner.user(self.broker_user(service), password)
            self._users_made = True

    def service_url(self, vhost: str, service: str) -> str:
        """The URL a service connects with: its own user, on `vhost`."""
        return service_url(self.amqp_url, vhost, self.broker_user(service), self.passwords[service])

    def partner_url(self, vhost: str, partner_id: str) -> str:
        """Onboard a partner on `vhost` as the operator command does; its own broker URL."""
        password = secrets.token_urlsafe(16)
        user = PartnerProvisioner(self.provisioner, vhost, self.user_prefix).onboard(
            partner_id, password
        )
        self._partner_users.add(user)
        return service_url(self.amqp_url, vhost, user, password)

    def partner_user(self, partner_id: str) -> str:
        return partner_user(partner_id, self.user_prefix)

    def close(self) -> None:
        for user in self._partner_users:
            self.provisioner.delete_user(user)
        if self._users_made:
            for service in self.passwords:
                self.provisioner.delete_user(self.broker_user(service))

    def delete(self, vhost: str) -> None:
        self.client.delete(f"/vhosts/{vhost}")

    def queue(self, vhost: str, name: str) -> dict:
        response = self.client.get(f"/queues/{quote(vhost, safe='')}/{quote(name, safe='')}")
        response.raise_for_status()
        return response.json()
