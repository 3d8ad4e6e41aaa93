"""Benchmark: bulk import of a generated UMKM file through the registration service's job API.

    uv run python bench/registration_import.py --rows 10000

For CSV and XLSX it prints, per format: parse-only time (the baseline: reading
and validating every row, no store); then, through the HTTP API against the
real broker and store, the time from the start of the upload until the 202,
until the job is done (every row stored, each enterprise its own insert with
its outbox event), and until the job counts every `registered` event
published (outbox empty); rows per second; and a re-import of the same file,
which must create nothing. Targets (issue 9): stored < 30 s, outbox empty
< 60 s for 10,000 CSV rows; printed, never asserted. It runs in a throwaway
RabbitMQ vhost and database and removes both afterwards. Broker and store
come from PLUT_AMQP_URL / PLUT_MONGO_URL or the local servers.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
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
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
POLL_S = 0.25
STORED_TARGET_S, PUBLISHED_TARGET_S = 30.0, 60.0


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


async def poll(http: httpx.AsyncClient, job_url: str, done: Any) -> dict[str, Any]:
    while True:
        job: dict[str, Any] = (await http.get(job_url, headers=HEADERS)).json()
        if done(job):
            return job
        await asyncio.sleep(POLL_S)


async def one_import(
    http: httpx.AsyncClient, data: bytes, name: str, relay_paused: bool
) -> dict[str, Any]:
    """Upload, then poll the job until done, then until every event is published."""
    started = time.perf_counter()
    answer = await http.post("/enterprises/import", files={"file": (name, data)}, headers=HEADERS)
    assert answer.status_code == 202, answer.text
    accepted = time.perf_counter() - started
    job = await poll(
        http, answer.headers["Location"], lambda job: job["state"] in ("done", "failed")
    )
    stored = time.perf_counter() - started
    published_when_stored = job["events_published"]
    if not relay_paused:
        job = await poll(
            http, job["job_url"], lambda job: job["events_published"] >= job["created"]
        )
    published = time.perf_counter() - started
    return {
        "job": job,
        "accepted": accepted,
        "stored": stored,
        "published_when_stored": published_when_stored,
        "published": published,
    }


async def full_import(
    settings: RegistrationSettings, data: bytes, name: str, pause_relay: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    tokens = TokenRegistry(
        [TokenEntry.for_token(TOKEN, subject="bench", role="admin", centres=["*"])]
    )
    app = create_app(settings, tokens)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=None
        ) as http:
            if pause_relay:  # isolates the import path from the relay's store traffic
                await app.state.host.relay.stop()
            first = await one_import(http, data, name, pause_relay)
            again = await one_import(http, data, name, pause_relay)
        await app.state.host.db.client.drop_database(settings.database)
    return first, again


def show(
    fmt: str, rows: int, parsed: tuple[float, int], first: dict[str, Any], again: dict[str, Any]
) -> None:
    parse_s, valid = parsed
    job = first["job"]
    print(f"\n{fmt}: rows {rows}, valid {valid}, cores: {os.cpu_count()}")
    print(f"  parse only        {parse_s:7.2f} s  {rows / parse_s:7.0f} rows/s")
    print(f"  upload answered   {first['accepted']:7.2f} s  (202 with the job)")
    print(
        f"  stored (job done) {first['stored']:7.2f} s  {rows / first['stored']:7.0f} rows/s  "
        f"target < {STORED_TARGET_S:.0f} s  state {job['state']}, "
        f"created {job['created']}, rejected {job['rejected']}"
    )
    print(
        f"  outbox empty      {first['published']:7.2f} s  "
        f"{job['events_published']} events  target < {PUBLISHED_TARGET_S:.0f} s  "
        f"({first['published_when_stored']} published when the job was done)"
    )
    print(f"  ratio stored/parse {first['stored'] / parse_s:6.1f}x")
    print(
        f"  re-import         {again['stored']:7.2f} s  state {again['job']['state']}, "
        f"created {again['job']['created']}, rejected {again['job']['rejected']}"
    )


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--management-url", default="http://127.0.0.1:15672/")
    parser.add_argument(
        "--pause-relay", action="store_true", help="measure the import with the relay stopped"
    )
    args = parser.parse_args(argv)
    generator = _generator()
    base = RegistrationSettings()
    print(f"cores: {os.cpu_count()}, load average at start {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp, Vhost(base.amqp_url, args.management_url) as vhost:
        for fmt in args.formats.split(","):
            out = Path(tmp) / f"umkm.{fmt}"
            generator.write_file(generator.generate_rows(args.rows, args.seed), out)
            data = out.read_bytes()
            settings = base.model_copy(
                update={
                    "amqp_url": vhost.url,
                    "database": f"bench_reg_{uuid.uuid4().hex[:8]}",
                    "log_level": "WARNING",  # not a line per poll
                }
            )
            parsed = parse_only(data, out.name)
            first, again = await full_import(settings, data, out.name, args.pause_relay)
            show(fmt.upper(), args.rows, parsed, first, again)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    asyncio.run(main())
