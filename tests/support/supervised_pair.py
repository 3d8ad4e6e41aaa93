"""Two cheap children under the platform's supervisor, for the restart test.

    python -m tests.support.supervised_pair

Each child waits until SIGTERM; the backoff is short so the test runs in seconds
(first restart after 0.2 s, doubling).
"""

from __future__ import annotations

import sys

from scripts.supervisor import Backoff, Supervisor

CHILD = (
    "import signal, sys, time\n"
    "signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\n"
    "time.sleep(3600)\n"
)

if __name__ == "__main__":
    commands = {name: [sys.executable, "-c", CHILD] for name in ("alpha", "beta")}
    backoff = Backoff(first_s=0.2, max_s=1.0, stable_after_s=60.0)
    sys.exit(Supervisor(commands, backoff=backoff).run(poll_s=0.05))
