"""Serve every service of the platform on this machine until interrupted.

Each service runs as its own uvicorn process (as it would in its own
container), connected to the broker as its own user: `scripts/infra.py up`
writes each service's `PLUT_<SERVICE>_AMQP_URL` into `.infra/broker-env.json`
(git-ignored), read here unless the environment already sets it. A service
that crashes is restarted with backoff while the others keep running
(`scripts/supervisor.py`); Ctrl-C stops them all. Without PLUT_API_TOKENS in
the environment, a development admin token for all centres is minted for this
run only and printed once; so is a metrics token for `/metrics` without
PLUT_METRICS_TOKEN.

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
import sys
from pathlib import Path

from plut_shared.auth import TokenEntry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# After the line above: the repository root must be importable when run as a script.
from scripts.supervisor import Supervisor

SERVICES = {"registration": 8001, "training": 8002, "financing": 8003, "notifications": 8004}
SINK_HTTP_PORT, SINK_SMTP_PORT = 8090, 8025
BROKER_ENV = Path(__file__).resolve().parent.parent / ".infra" / "broker-env.json"


def dev_tokens() -> str:
    token = secrets.token_urlsafe(32)
    entry = TokenEntry.for_token(token, subject="dev-admin", role="admin", centres=["*"])
    print(f"[run] development admin token (this run only): {token}", flush=True)
    print(f"[run] for plut: export PLUT_API_TOKEN={token}", flush=True)
    return json.dumps([entry.model_dump(mode="json")])


def dev_metrics_token() -> str:
    token = secrets.token_urlsafe(32)
    print(f"[run] metrics token (this run only): {token}", flush=True)
    print(
        f'[run] curl -H "Authorization: Bearer {token}" http://127.0.0.1:8001/metrics',
        flush=True,
    )
    return token


def broker_env(env: dict[str, str]) -> dict[str, str]:
    """Each service's own broker URL, from `scripts/infra.py up`, unless already set."""
    if not BROKER_ENV.exists():
        print(f"[run] {BROKER_ENV} is missing: run `scripts/infra.py up` first", flush=True)
        return {}
    found: dict[str, str] = json.loads(BROKER_ENV.read_text())
    return {name: value for name, value in found.items() if name not in env}


def command(service: str, port: int) -> list[str]:
    return [
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


def sinks_command() -> list[str]:
    command = [sys.executable, "-m", "plut_cli", "sinks", "--http-port", str(SINK_HTTP_PORT)]
    return [*command, "--smtp-port", str(SINK_SMTP_PORT)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", choices=sorted(SERVICES), help="services to run")
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("PLUT_API_TOKENS") and not env.get("PLUT_API_TOKENS_FILE"):
        env["PLUT_API_TOKENS"] = dev_tokens()
    if not env.get("PLUT_METRICS_TOKEN") and not env.get("PLUT_METRICS_TOKEN_FILE"):
        env["PLUT_METRICS_TOKEN"] = dev_metrics_token()
    wanted = args.only or list(SERVICES)
    available = [s for s in wanted if importlib.util.find_spec(f"{s}.entrypoints.app")]
    if not available:
        print("[run] infrastructure is ready; no service package is installed yet", flush=True)
        return 0
    env.update(broker_env(env))
    commands = {s: command(s, SERVICES[s]) for s in available}
    if "notifications" in available and not channels_configured(env):
        env = with_local_sinks(env)
        commands = {"sinks": sinks_command(), **commands}
    for service in available:
        print(f"[run] {service}: http://127.0.0.1:{SERVICES[service]}/docs", flush=True)
    return Supervisor(commands, env).run()


if __name__ == "__main__":
    sys.exit(main())
