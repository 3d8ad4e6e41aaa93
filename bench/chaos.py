"""Chaos run: registrations flow to WhatsApp welcomes while parts crash; count what was lost.

    uv run python -m bench.chaos                      # 10,000 registrations
    uv run python -m bench.chaos --registrations 3000 --seed 7 --keep-logs /tmp/chaos

Everything runs privately (see docs/chaos.md): a RabbitMQ node of its own
(`tests.support.private_broker`), a store of its own, a provider sink, and
registration and notifications as uvicorn processes, so the shared broker and
store are never touched. While N registrations flow (most by `POST
/enterprises` with a bounded number in flight, a share through the bulk import
in 100-row files), registration is killed with SIGKILL three times and
notifications three times, the broker node and the store are each restarted
once (gracefully), all at random points of the load's progress; killed services
start again at once. Then it waits until nothing is in motion and prints
accepted, stored, published, consumed, welcomes at the sink, lost and
duplicated. It asserts nothing; the exit status is 1 when something was lost or
an owner got a welcome twice.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import subprocess
import sys
from pathlib import Path

from tests.support.chaos.bodies import body, rows
from tests.support.chaos.platform import ChaosPlatform, ChaosSettings
from tests.support.chaos.report import render
from tests.support.chaos.run import (
    KILL_NOTIFICATIONS,
    KILL_REGISTRATION,
    RESTART_BROKER,
    RESTART_STORE,
    ChaosResult,
    ChaosRun,
    schedule,
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--import-share", type=float, default=0.05, help="share via import")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of each service")
    parser.add_argument("--no-restarts", action="store_true", help="no broker/store restart")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--settle-timeout", type=float, default=900.0, help="seconds")
    parser.add_argument("--keep-logs", type=Path, help="copy the services' logs here")
    return parser.parse_args()


def plan(args: argparse.Namespace, rng: random.Random) -> list[tuple[float, str]]:
    actions = [KILL_REGISTRATION, KILL_NOTIFICATIONS] * args.kills
    if not args.no_restarts:
        actions += [RESTART_BROKER, RESTART_STORE]
    return schedule(actions, rng)


def machine() -> str:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    rabbit = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "rabbitmq-server"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return (
        f"{os.cpu_count()} cores, load average {load}, Python {platform.python_version()}, "
        f"RabbitMQ {rabbit or 'unknown'}"
    )


async def chaos(args: argparse.Namespace, platform_: ChaosPlatform) -> ChaosResult:
    rng = random.Random(args.seed)
    generated = list(rows(args.registrations, args.seed))
    imported = int(len(generated) * args.import_share)
    run = ChaosRun(platform_, args.concurrency, args.settle_timeout)
    return await run.run(
        [body(row) for row in generated[imported:]], plan(args, rng), generated[:imported]
    )


def main() -> int:
    args = arguments()
    print(f"[chaos] before: {machine()}", flush=True)
    with ChaosPlatform(ChaosSettings(), keep_logs=args.keep_logs) as platform_:
        print(f"[chaos] private broker node {platform_.broker.node}", flush=True)
        result = asyncio.run(chaos(args, platform_))
    print(f"[chaos] after: {machine()}", flush=True)
    print(render(result), flush=True)
    bad = result.tally.lost_total or result.tally.duplicated_owner_visible
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
