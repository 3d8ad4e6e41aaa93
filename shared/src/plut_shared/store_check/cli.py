"""The operator command: run every check against a store given by URL."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from plut_shared.store_check.catalogue import CHECKS
from plut_shared.store_check.restart import verify_marker, write_marker
from plut_shared.store_check.runner import (
    Check,
    CheckResult,
    StoreUnreachable,
    redact,
    run_checks,
)

RESTART_CHECK = "data kept across a graceful restart"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="store-check",
        description="Checks that a MongoDB-wire store keeps the guarantees the platform "
        "relies on. Writes only to a scratch database, which it drops.",
    )
    parser.add_argument("url", help="store URL, e.g. mongodb://127.0.0.1:27017/")
    restart = parser.add_mutually_exclusive_group()
    restart.add_argument(
        "--write-restart-marker",
        action="store_true",
        help="step 1 of the restart check: write marker documents, then restart the store",
    )
    restart.add_argument(
        "--verify-restart-marker",
        action="store_true",
        help="step 2: after a graceful restart, check every marker document is there",
    )
    return parser


def print_result(result: CheckResult) -> None:
    print(result.line(), flush=True)


async def run(args: argparse.Namespace, checks: Sequence[Check]) -> int:
    if args.write_restart_marker or args.verify_restart_marker:
        step = write_marker if args.write_restart_marker else verify_marker
        result = CheckResult(RESTART_CHECK, await step(args.url))
        print_result(result)
        if args.write_restart_marker and result.outcome.passed:
            print("now restart the store gracefully, then run again with --verify-restart-marker")
        return 0 if result.outcome.passed else 1
    print(f"store check against {redact(args.url)}", flush=True)
    results = await run_checks(args.url, checks, print_result)
    failed = [result.name for result in results if not result.outcome.passed]
    print(f"{len(results) - len(failed)} of {len(results)} checks passed", flush=True)
    if failed:
        print(f"failing: {'; '.join(failed)}", flush=True)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None, checks: Sequence[Check] = CHECKS) -> int:
    """Exit status 0: every check passed; 1: one failed; 2: the store did not answer."""
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args, checks))
    except StoreUnreachable as error:
        print(f"FAIL  {error}", flush=True)
        return 2
