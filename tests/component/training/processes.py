"""Training as separate uvicorn processes on one store and one vhost, as replicas run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import AsyncIterator

import httpx
from plut_shared.auth import TokenEntry

from tests.component.registration.examples import PRINCIPALS
from tests.component.training.support import RETRY_DELAYS_MS
from tests.support.notification_sinks import free_port
from tests.support.waiting import eventually


def tokens_json() -> str:
    entries = [
        TokenEntry.for_token(token, subject=subject, role=role, centres=centres)
        for token, subject, role, centres in PRINCIPALS.values()
    ]
    return json.dumps([entry.model_dump(mode="json") for entry in entries])


async def _ready(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:

        async def status() -> int:
            try:
                return (await http.get("/health/ready")).status_code
            except httpx.TransportError:
                return 0

        await eventually(status, lambda code: code == 200, timeout=60, interval=0.2)


def _environment(amqp_url: str, user_prefix: str, mongo_url: str, database: str) -> dict[str, str]:
    env = os.environ | {
        "PLUT_TRAINING_AMQP_URL": amqp_url,
        "PLUT_TRAINING_BROKER_USER_PREFIX": user_prefix,
        "PLUT_TRAINING_MONGO_URL": mongo_url,
        "PLUT_TRAINING_DATABASE": database,
        "PLUT_TRAINING_RELAY_SWEEP_INTERVAL_S": "0.5",
        # As the in-process apps of the other tests on this vhost declare the queues:
        # a queue declared again with other arguments is refused by the broker.
        "PLUT_TRAINING_RETRY_DELAYS_MS": json.dumps(RETRY_DELAYS_MS),
        "PLUT_TRAINING_LOG_LEVEL": "WARNING",
        "PLUT_API_TOKENS": tokens_json(),
    }
    env.pop("PLUT_API_TOKENS_FILE", None)
    return env


@contextlib.asynccontextmanager
async def training_processes(
    count: int, *, amqp_url: str, user_prefix: str, mongo_url: str, database: str
) -> AsyncIterator[list[str]]:
    """`count` training processes as training's broker user; yields their base URLs when ready."""
    env = _environment(amqp_url, user_prefix, mongo_url, database)
    children, urls = [], []
    try:
        for _ in range(count):
            port = free_port()
            command = [
                sys.executable, "-m", "uvicorn", "training.entrypoints.app:create_app",
                "--factory", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                "--log-level", "warning",
            ]  # fmt: skip
            children.append(await asyncio.create_subprocess_exec(*command, env=env))
            urls.append(f"http://127.0.0.1:{port}")
        await asyncio.gather(*(_ready(url) for url in urls))
        yield urls
    finally:
        for child in children:
            if child.returncode is None:
                child.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
        for child in children:
            await asyncio.wait_for(child.wait(), timeout=60)
