"""Make a RabbitMQ broker and a MongoDB-wire store reachable without Docker.

    python scripts/infra.py up      # reuse what answers, else install and start it
    python scripts/infra.py down    # stop what `up` started
    python scripts/infra.py status

The broker is Debian's rabbitmq-server; the store is FerretDB 1.24.2 on its
SQLite backend, built from the Go module proxy. Both are left running so a
second `up` returns at once. URLs come from PLUT_AMQP_URL / PLUT_MONGO_URL.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import aio_pika
from pymongo import MongoClient

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".infra"
FERRETDB_VERSION = "v1.24.2"
FERRETDB_MODULE = "github.com/FerretDB/FerretDB"
FERRETDB_BIN = STATE / "bin" / "ferretdb"
FERRETDB_PID = STATE / "ferretdb.pid"
FERRETDB_LOG = STATE / "logs" / "ferretdb.log"
RABBITMQ_LOG_DIR = "/var/log/rabbitmq"

AMQP_URL = os.environ.get("PLUT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGO_URL = os.environ.get("PLUT_MONGO_URL", "mongodb://127.0.0.1:27017/")
MANAGEMENT_URL = os.environ.get("PLUT_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:15672/")


class InfraError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[infra] {message}", file=sys.stderr, flush=True)


# --- probes -----------------------------------------------------------------


def broker_answers(url: str = AMQP_URL, timeout: float = 3.0) -> bool:
    async def probe() -> None:
        connection = await aio_pika.connect(url, timeout=timeout)
        await connection.close()

    try:
        asyncio.run(probe())
        return True
    except Exception:
        return False


def store_answers(url: str = MONGO_URL, timeout_ms: int = 1500) -> bool:
    client: MongoClient = MongoClient(url, serverSelectionTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


def management_answers(url: str = MANAGEMENT_URL) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL from env
            return bool(response.status == 200)
    except Exception:
        return False


def wait_until(check, what: str, seconds: float, log_hint: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise InfraError(f"{what} did not answer within {seconds:.0f}s; see {log_hint}")


def is_local(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


# --- RabbitMQ ---------------------------------------------------------------


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kwargs)


def install_rabbitmq() -> None:
    log("installing rabbitmq-server from Debian's packages")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "rabbitmq-server"], env=env)


def ensure_broker() -> None:
    if broker_answers():
        log(f"broker answers at {redact(AMQP_URL)}")
    elif not is_local(AMQP_URL):
        raise InfraError(f"broker at {redact(AMQP_URL)} does not answer and is not local")
    else:
        if shutil.which("rabbitmq-server") is None:
            install_rabbitmq()
        # The management plugin gives tests a vhost API and operators a console.
        run(
            ["rabbitmq-plugins", "enable", "--offline", "rabbitmq_management"],
            stdout=subprocess.DEVNULL,
        )
        log("starting rabbitmq-server")
        run(["rabbitmq-server", "-detached"])
        wait_until(broker_answers, "RabbitMQ broker", 120, RABBITMQ_LOG_DIR)
        log(f"broker answers at {redact(AMQP_URL)}")
    if not management_answers() and is_local(AMQP_URL):
        run(["rabbitmq-plugins", "enable", "rabbitmq_management"], stdout=subprocess.DEVNULL)
        wait_until(management_answers, "RabbitMQ management API", 60, RABBITMQ_LOG_DIR)


# --- FerretDB ---------------------------------------------------------------


def build_ferretdb() -> None:
    """Build FerretDB from the Go module proxy.

    `go install ...@v1.24.2` builds, but the binary panics at start because the
    module lacks the generated build/version/version.txt. So the module is
    downloaded, that file is written as FerretDB's own `task gen-version` would,
    and the same command package is built.
    """
    go = shutil.which("go") or next(
        (str(p) for p in (Path("/usr/local/go/bin/go"),) if p.exists()), None
    )
    if go is None:
        raise InfraError("Go is needed to build FerretDB; install Go 1.22 or newer")
    log(f"building FerretDB {FERRETDB_VERSION} (first run only, a few minutes)")
    started = time.monotonic()
    source = STATE / "src" / f"ferretdb-{FERRETDB_VERSION}"
    if not source.exists():
        module_dir = subprocess.check_output(
            [go, "mod", "download", "-json", f"{FERRETDB_MODULE}@{FERRETDB_VERSION}"],
            text=True,
        )
        shutil.copytree(json.loads(module_dir)["Dir"], source)
        for path in source.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        (source / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    FERRETDB_BIN.parent.mkdir(parents=True, exist_ok=True)
    run([go, "build", "-o", str(FERRETDB_BIN), "./cmd/ferretdb"], cwd=source)
    log(f"built FerretDB in {time.monotonic() - started:.1f}s")


def ensure_store() -> None:
    if store_answers():
        log(f"store answers at {MONGO_URL}")
        return
    if not is_local(MONGO_URL):
        raise InfraError(f"store at {MONGO_URL} does not answer and is not local")
    if not FERRETDB_BIN.exists():
        build_ferretdb()
    address = urlsplit(MONGO_URL)
    data = STATE / "ferretdb" / "data"
    data.mkdir(parents=True, exist_ok=True)
    FERRETDB_LOG.parent.mkdir(parents=True, exist_ok=True)
    log("starting FerretDB (SQLite backend)")
    with FERRETDB_LOG.open("ab") as log_file:
        process = subprocess.Popen(
            [
                str(FERRETDB_BIN),
                "--handler=sqlite",
                f"--sqlite-url=file:{data}/",
                f"--listen-addr={address.hostname}:{address.port or 27017}",
                f"--state-dir={STATE / 'ferretdb'}",
                "--debug-addr=127.0.0.1:0",
                "--telemetry=disable",
                "--log-level=WARN",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    FERRETDB_PID.write_text(str(process.pid))
    wait_until(store_answers, "FerretDB store", 60, str(FERRETDB_LOG))
    log(f"store answers at {MONGO_URL}")


# --- commands ---------------------------------------------------------------


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def up() -> None:
    started = time.monotonic()
    ensure_broker()
    ensure_store()
    print(f"PLUT_AMQP_URL={redact(AMQP_URL)}")
    print(f"PLUT_MONGO_URL={MONGO_URL}")
    log(f"ready in {time.monotonic() - started:.1f}s")


def down() -> None:
    if FERRETDB_PID.exists():
        pid = int(FERRETDB_PID.read_text())
        try:
            os.kill(pid, 15)
            log(f"stopped FerretDB (pid {pid})")
        except ProcessLookupError:
            pass
        FERRETDB_PID.unlink()
    if is_local(AMQP_URL) and shutil.which("rabbitmqctl") and broker_answers():
        run(["rabbitmqctl", "stop"], stdout=subprocess.DEVNULL)
        log("stopped RabbitMQ")


def status() -> int:
    broker, store = broker_answers(), store_answers()
    print(f"broker {redact(AMQP_URL)}: {'up' if broker else 'down'}")
    print(f"store  {MONGO_URL}: {'up' if store else 'down'}")
    return 0 if broker and store else 1


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "up"
    try:
        if command == "up":
            up()
        elif command == "down":
            down()
        elif command == "status":
            return status()
        else:
            print(__doc__)
            return 2
    except (InfraError, subprocess.CalledProcessError) as error:
        log(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
