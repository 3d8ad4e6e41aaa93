"""Store conformance check: does a MongoDB-wire store keep what the platform relies on?

    uv run python -m plut_shared.store_check mongodb://HOST:PORT/
    uv run python -m plut_shared.store_check mongodb://HOST:PORT/ --write-restart-marker
    (restart the store gracefully)
    uv run python -m plut_shared.store_check mongodb://HOST:PORT/ --verify-restart-marker

Each check runs in a scratch database that is dropped afterwards and prints one
line with what it measured. The guarantees (README, "Store conformance check"):
atomic single-document updates under concurrent clients, conditional updates
with one winner, unique indexes, and the filter shapes and update operators
the messaging kernel uses.
"""

from plut_shared.store_check.catalogue import CHECKS
from plut_shared.store_check.cli import main
from plut_shared.store_check.runner import Check, CheckResult, Outcome, Scratch, run_checks

__all__ = ["CHECKS", "Check", "CheckResult", "Outcome", "Scratch", "main", "run_checks"]
