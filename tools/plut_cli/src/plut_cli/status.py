"""`plut status`: the broker, the store and every service, read-only, in two tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from pymongo import MongoClient
from pymongo.errors import PyMongoError
from rich.console import Console
from rich.table import Table

from plut_cli.config import SERVICES, Infrastructure, ServiceInfo

# A document whose outbox still holds an event: read-only, and the same on every store.
OUTBOX_BACKLOG = {"outbox.0": {"$exists": True}}
TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Snapshot:
    broker: str
    store: str
    queues: list[dict[str, Any]]
    services: list[tuple[ServiceInfo, str, str, str]]  # service, health, parked, outbox backlog


def broker_state(infra: Infrastructure) -> tuple[str, list[dict[str, Any]]]:
    """RabbitMQ's version and the vhost's queues, from the management API."""
    with httpx.Client(
        base_url=infra.management_base, auth=infra.broker_credentials, timeout=TIMEOUT_S
    ) as api:
        try:
            overview = api.get("/overview")
            queues = api.get(f"/queues/{quote(infra.vhost, safe='')}")
        except httpx.TransportError as error:
            return f"unreachable ({type(error).__name__})", []
        if overview.status_code == 401:
            return "management API refused the broker user (401)", []
        if queues.status_code == 404:
            return f"vhost {infra.vhost!r} does not exist", []
        queues.raise_for_status()
        version = overview.json().get("rabbitmq_version", "?")
        return f"ok (RabbitMQ {version})", sorted(queues.json(), key=lambda q: q["name"])


def store_state(infra: Infrastructure) -> tuple[str, MongoClient | None]:
    client: MongoClient = MongoClient(infra.mongo_url, serverSelectionTimeoutMS=3000)
    try:
        # `isMaster`, not `hello`: the local store (mongo-java-server) knows only the old name.
        found = client.admin.command("isMaster")
    except PyMongoError as error:
        client.close()
        return f"unreachable ({type(error).__name__})", None
    return f"ok (wire version {found.get('maxWireVersion', '?')})", client


def service_health(service: ServiceInfo) -> str:
    try:
        response = httpx.get(f"{service.base_url}/health", timeout=TIMEOUT_S)
    except httpx.TransportError:
        return "not running"
    try:
        checks = response.json()
    except ValueError:
        checks = {}
    if response.status_code == 200:
        return "ok"
    down = [name for name, up in checks.items() if up is False]
    return f"degraded ({', '.join(down) or response.status_code})"


def parked_count(service: ServiceInfo, queues: list[dict[str, Any]]) -> str:
    parking = next((q for q in queues if q["name"] == f"{service.name}.parking"), None)
    return "-" if parking is None else str(parking.get("messages", 0))


def outbox_backlog(service: ServiceInfo, client: MongoClient | None) -> str:
    if client is None:
        return "?"
    db = client[service.database]
    try:
        counts = [db[name].count_documents(OUTBOX_BACKLOG) for name in service.outbox_collections]
        return str(sum(counts))
    except PyMongoError as error:
        return f"? ({type(error).__name__})"


def snapshot(infra: Infrastructure) -> Snapshot:
    broker, queues = broker_state(infra)
    store, client = store_state(infra)
    try:
        services = [
            (s, service_health(s), parked_count(s, queues), outbox_backlog(s, client))
            for s in SERVICES
        ]
    finally:
        if client is not None:
            client.close()
    return Snapshot(broker, store, queues, services)


def _state_style(text: str) -> str:
    return "green" if text.startswith("ok") else "red"


def render(infra: Infrastructure, found: Snapshot, console: Console) -> None:
    parts = Table(title="Infrastructure", title_justify="left")
    for column in ("part", "where", "state"):
        parts.add_column(column)
    parts.add_row("broker", f"vhost {infra.vhost}", found.broker, style=_state_style(found.broker))
    parts.add_row("store", "PLUT_MONGO_URL", found.store, style=_state_style(found.store))
    console.print(parts)

    services = Table(title="Services", title_justify="left")
    for column in ("service", "address", "health", "parked", "outbox backlog"):
        services.add_column(
            column, justify="right" if column in ("parked", "outbox backlog") else "left"
        )
    for service, health, parked, backlog in found.services:
        address = service.base_url.removeprefix("http://")
        services.add_row(service.name, address, health, parked, backlog)
    console.print(services)

    queues = Table(title="Queues", title_justify="left")
    for column in ("queue", "ready", "unacked", "consumers"):
        queues.add_column(column, justify="left" if column == "queue" else "right")
    for queue in found.queues:
        queues.add_row(
            queue["name"],
            str(queue.get("messages_ready", 0)),
            str(queue.get("messages_unacknowledged", 0)),
            str(queue.get("consumers", 0)),
        )
    console.print(queues if found.queues else "[dim]no queues in this vhost[/dim]")
