"""Per-test-session RabbitMQ vhosts through the management HTTP API."""

from __future__ import annotations

import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import httpx


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
            timeout=10,
        )

    def create(self, prefix: str = "plut-test") -> str:
        vhost = f"{prefix}-{uuid.uuid4().hex[:8]}"
        try:
            self.client.put(f"/vhosts/{vhost}").raise_for_status()
        except httpx.HTTPError as error:
            raise BrokerUnavailable(
                f"RabbitMQ broker management API at {self.client.base_url} did not answer "
                f"({error}); start the infrastructure with `scripts/infra.py up`"
            ) from error
        permissions = {"configure": ".*", "write": ".*", "read": ".*"}
        self.client.put(f"/permissions/{vhost}/{self.user}", json=permissions).raise_for_status()
        return vhost

    def delete(self, vhost: str) -> None:
        self.client.delete(f"/vhosts/{vhost}")

    def queue(self, vhost: str, name: str) -> dict:
        response = self.client.get(f"/queues/{quote(vhost, safe='')}/{quote(name, safe='')}")
        response.raise_for_status()
        return response.json()
