"""Run the example partner until interrupted.

    PLUT_PARTNER_AMQP_URL=amqp://plut-partner-bank-jatim:...@127.0.0.1:5672/plut \\
    python -m partner_example --partner-id bank-jatim --approve-up-to 100000000

The URL (with the partner's password) comes from the environment only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from partner_example.client import PartnerClient, PartnerConfig

URL_ENV = "PLUT_PARTNER_AMQP_URL"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="partner_example", description=__doc__)
    parser.add_argument("--partner-id", required=True, help="this partner's id, e.g. bank-jatim")
    parser.add_argument("--approve-up-to", type=int, default=100_000_000, help="rupiah")
    parser.add_argument("--no-disburse", action="store_true", help="decide, never disburse")
    return parser.parse_args(argv)


async def serve(config: PartnerConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await PartnerClient(config).run(stop)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    url = os.environ.get(URL_ENV)
    if not url:
        print(f"set {URL_ENV} to the URL `plut partners add` printed", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = PartnerConfig(url, args.partner_id, args.approve_up_to, not args.no_disburse)
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
