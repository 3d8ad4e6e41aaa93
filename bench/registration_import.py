"""Benchmark: bulk import of a generated UMKM file through the registration service.

    uv run python bench/registration_import.py --rows 10000

For CSV and XLSX it prints, per format: parse-only time (the baseline: reading
and validating every row, no store), the full import through the HTTP API
against the real broker and store (every enterprise its own insert with its
outbox event), their ratio, the time until the relay has published every
event, and a re-import of the same file (which must create nothing). It runs
in a throwaway RabbitMQ vhost and database and removes both afterwards.
Broker and store come from PLUT_AMQP_URL / PLUT_MONGO_URL or the local servers.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from asgi_lifespan import LifespanManager
from plut_shared.auth import TokenEntry, TokenRegistry
from plut_shared.messaging.provisioning import BrokerProvisioner
from registration.adapters.import_file import parse_import_file
from registration.bootstrap import create_app
from registration.config import RegistrationSettings

TOKEN = "bench-admin-token"


def _generator() -> Any:
    path = Path(__file__).with_name("generate_umkm_file.py")
    spec = importlib.util.spec_from_file_location("generate_umkm_file", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Vhost:
    """A private vhost, so 20,000 benchmark events reach no one's queues."""

    def __init__(self, amqp_url: str, management_url: str) -> None:
        parts = urlsplit(amqp_url)
        self.name = f"plut-bench-{uuid.uuid4().hex[:8]}"
        self.user = parts.username or "guest"
        self.url = urlunsplit(parts._replace(path="/" + quote(self.name, safe="")))
        auth = (self.user, parts.password or "guest")
        self.api = httpx.Client(base_url=management_url.rstrip("/") + "/api", auth=auth)
        self.provisioner = BrokerProvisioner(management_url, *auth)

    def __enter__(self) -> Vhost:
        # Provisioned as production is: the shared exchanges exist before the service starts.
        self.provisioner.vhost(self.name)
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.delete(f"/vhosts/{self.name}")


def parse_only(data: bytes, name: str) -> tuple[float, int]:
    started = time.perf_counter()
    rows = parse_import_file(data, name)
    return time.perf_counter() - started, sum(row.command is not None for row in rows)


async def full_import(
    settings: RegistrationSettings, data: bytes, name: str, window: float, pause_relay: bool
) -> dict[str, Any]:
    tokens = TokenRegistry(
        [TokenEntry.for_token(TOKEN, subject="bench", role="admin", centres=["*"])]
    )
    app = create_app(settings, tokens)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=None
        ) as http:
            if pause_relay:  # isolates the import path from the relay's store traffic
                await app.state.host.relay.stop()
            started = time.perf_counter()
            report = (
                await http.post(
                    "/enterprises/import", files={"file": (name, data)}, headers=headers
                )
            ).json()
            imported = time.perf_counter() - started
            relay = app.state.host.relay
            at_import = relay.published
            await asyncio.sleep(window)  # a fixed window: draining 10,000 events takes long
            published = (at_import, relay.published - at_import)
            started = time.perf_counter()
            again = (
                await http.post(
                    "/enterprises/import", files={"file": (name, data)}, headers=headers
                )
            ).json()
            reimported = time.perf_counter() - started
        await app.state.host.db.client.drop_database(settings.database)
    return {
        "report": report,
        "imported": imported,
        "published": published,
        "again": again,
        "reimported": reimported,
    }


def show(
    fmt: str, rows: int, parsed: tuple[float, int], full: dict[str, Any], window: float
) -> None:
    parse_s, valid = parsed
    report, again = full["report"], full["again"]
    print(f"\n{fmt}: {rows} rows, {valid} valid")
    print(f"  parse only     {parse_s:8.2f} s  {rows / parse_s:9.0f} rows/s")
    print(
        f"  full import    {full['imported']:8.2f} s  {rows / full['imported']:9.0f} rows/s  "
        f"created {report['created']}, rejected {report['rejected']}"
    )
    print(f"  ratio full/parse {full['imported'] / parse_s:6.1f}x")
    during, after = full["published"]
    print(
        f"  events published during the import {during}, in the next {window:.0f} s {after} "
        f"({after / window:.1f} events/s)"
    )
    print(
        f"  re-import      {full['reimported']:8.2f} s  "
        f"created {again['created']}, rejected {again['rejected']}"
    )


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--management-url", default="http://127.0.0.1:15672/")
    parser.add_argument(
        "--publish-window", type=float, default=30.0, help="seconds to watch the relay"
    )
    parser.add_argument(
        "--pause-relay", action="store_true", help="measure the import with the relay stopped"
    )
    args = parser.parse_args(argv)
    generator = _generator()
    base = RegistrationSettings()
    with tempfile.TemporaryDirectory() as tmp, Vhost(base.amqp_url, args.management_url) as vhost:
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"umkm.{fmt}"
            generator.write_file(generator.generate_rows(args.rows, args.seed), out)
            data = out.read_bytes()
            settings = base.model_copy(
                update={"amqp_url": vhost.url, "database": f"bench_reg_{uuid.uuid4().hex[:8]}"}
            )
            parsed, window = parse_only(data, out.name), args.publish_window
            full = await full_import(settings, data, out.name, window, args.pause_relay)
            show(fmt.upper(), args.rows, parsed, full, window)


if __name__ == "__main__":
    asyncio.run(main())
