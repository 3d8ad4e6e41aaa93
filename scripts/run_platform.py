"""Serve every service of the platform on this machine until interrupted.

Each service runs as its own uvicorn process (as it would in its own
container). Without PLUT_API_TOKENS in the environment, a development admin
token for all centres is minted for this run only and printed once.

Notifications sends to local sinks (`plut sinks`: an SMTP server and a
WhatsApp/SMS provider stand-in) unless its SMTP host or provider URL is set in
the environment; their page lists what owners would have received.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import time

from plut_shared.auth import TokenEntry

SERVICES = {"registration": 8001, "training": 8002, "notifications": 8004}
SINK_HTTP_PORT, SINK_SMTP_PORT = 8090, 8025


def dev_tokens() -> str:
    token = secrets.token_urlsafe(32)
    entry = TokenEntry.for_token(token, subject="dev-admin", role="admin", centres=["*"])
    print(f"[run] development admin token (this run only): {token}", flush=True)
    print(f"[run] for plut: export PLUT_API_TOKEN={token}", flush=True)
    return json.dumps([entry.model_dump(mode="json")])


def start(service: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"{service}.entrypoints.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    print(f"[run] {service}: http://127.0.0.1:{port}/docs", flush=True)
    return subprocess.Popen(command, env=env)


def channels_configured(env: dict[str, str]) -> bool:
    configured = ("PLUT_NOTIFICATIONS_SMTP_HOST", "PLUT_NOTIFICATIONS_PROVIDER_BASE_URL")
    return any(env.get(name) for name in configured)


def with_local_sinks(env: dict[str, str]) -> dict[str, str]:
    """Notifications' settings pointing at the local sinks (production settings are untouched)."""
    return env | {
        "PLUT_NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
        "PLUT_NOTIFICATIONS_SMTP_PORT": str(SINK_SMTP_PORT),
        "PLUT_NOTIFICATIONS_PROVIDER_BASE_URL": f"http://127.0.0.1:{SINK_HTTP_PORT}",
        "PLUT_NOTIFICATIONS_PROVIDER_TOKEN": secrets.token_urlsafe(24),
    }


def start_sinks(env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "plut_cli", "sinks", "--http-port", str(SINK_HTTP_PORT)]
    command += ["--smtp-port", str(SINK_SMTP_PORT)]
    return subprocess.Popen(command, env=env)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the services the same way as Ctrl-C


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", choices=sorted(SERVICES), help="services to run")
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("PLUT_API_TOKENS") and not env.get("PLUT_API_TOKENS_FILE"):
        env["PLUT_API_TOKENS"] = dev_tokens()
    wanted = args.only or list(SERVICES)
    available = [s for s in wanted if importlib.util.find_spec(f"{s}.entrypoints.app")]
    if not available:
        print("[run] infrastructure is ready; no service package is installed yet", flush=True)
        return 0
    processes = []
    if "notifications" in available and not channels_configured(env):
        env = with_local_sinks(env)
        processes.append(start_sinks(env))
    processes += [start(s, SERVICES[s], env) for s in available]
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    for process in processes:
        process.send_signal(signal.SIGINT)  # uvicorn shuts down gracefully on SIGINT
    return max((p.wait(timeout=30) or 0) for p in processes)


if __name__ == "__main__":
    sys.exit(main())
