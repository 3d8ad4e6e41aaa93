"""Operator command for parked messages of a service.

    uv run python -m plut_shared.messaging.parked_cli list    --service notifications
    uv run python -m plut_shared.messaging.parked_cli show    --service notifications ID
    uv run python -m plut_shared.messaging.parked_cli replay  --service notifications ID
    uv run python -m plut_shared.messaging.parked_cli purge   --service notifications [ID]

The broker URL comes from PLUT_<SERVICE>_AMQP_URL (the service's own broker
user, needed for `replay`: see `parking.py`), else PLUT_AMQP_URL. `show` prints
the message body, which may hold personal data: it is for an operator's
terminal, never for a log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from plut_shared.messaging.parking import ParkingLot, as_json
from plut_shared.settings import LOCAL_AMQP_URL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parked", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["list", "show", "replay", "purge"])
    parser.add_argument("message_id", nargs="?", help="message (event) id")
    parser.add_argument("--service", required=True)
    return parser


async def run(args: argparse.Namespace, amqp_url: str) -> int:
    lot = ParkingLot(amqp_url, args.service)
    if args.action == "list":
        for message in await lot.list():
            print(json.dumps(message.summary(), default=str))
        return 0
    if args.action == "purge":
        print(f"purged {await lot.purge(args.message_id)}")
        return 0
    if not args.message_id:
        print(f"{args.action} needs a message id", file=sys.stderr)
        return 2
    if args.action == "show":
        found = await lot.inspect(args.message_id)
        print(as_json(found) if found else f"no parked message {args.message_id}")
        return 0 if found else 1
    replayed = await lot.replay(args.message_id)
    print("replayed" if replayed else f"no parked message {args.message_id}")
    return 0 if replayed else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    env = os.environ
    service_url = env.get(f"PLUT_{args.service.upper()}_AMQP_URL")
    amqp_url = service_url or env.get("PLUT_AMQP_URL", LOCAL_AMQP_URL)
    return asyncio.run(run(args, amqp_url))


if __name__ == "__main__":
    sys.exit(main())
