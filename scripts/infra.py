"""Make a RabbitMQ broker and a MongoDB-wire store reachable without Docker.

    python scripts/infra.py up      # reuse what answers, else install and start it
    python scripts/infra.py down    # stop what `up` started
    python scripts/infra.py status

The broker is Debian's rabbitmq-server; the store is mongo-java-server 1.47.0
on its H2 backend (jars from Maven Central, data in .infra/store/), a
MongoDB-wire server with atomic single-document updates. Both are left running
so a second `up` returns at once; `down` stops the store gracefully (its data
survives). URLs come from PLUT_AMQP_URL (an administrator's) / PLUT_MONGO_URL.

`up` also provisions the broker (`plut_shared.messaging.provisioning`): the
vhost `plut` (PLUT_BROKER_VHOST) with the shared exchanges, and one user per
service. Passwords are generated once and kept, with each service's
`PLUT_<SERVICE>_AMQP_URL`, in `.infra/broker-env.json` (git-ignored, mode 600),
which `scripts/run_platform.py` reads; `up` prints them with the password hidden.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import aio_pika
from plut_shared.messaging.provisioning import SERVICES, BrokerProvisioner, service_url
from plut_shared.messaging.trust import DEFAULT_USER_PREFIX, broker_user
from pymongo import MongoClient

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".infra"
STORE_SOURCE = ROOT / "scripts" / "store" / "StoreServer.java"
STORE_POM = ROOT / "scripts" / "store" / "pom.xml"
STORE_LIB = STATE / "store" / "lib"
STORE_CLASSES = STATE / "store" / "classes"
STORE_READY = STATE / "store" / "built-from.java"
STORE_DATA = STATE / "store" / "data" / "plut.mv.db"
STORE_PID = STATE / "store.pid"
STORE_LOG = STATE / "logs" / "store.log"
JDK_PACKAGE = "openjdk-17-jdk-headless"
RABBITMQ_LOG_DIR = "/var/log/rabbitmq"

AMQP_URL = os.environ.get("PLUT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
MONGO_URL = os.environ.get("PLUT_MONGO_URL", "mongodb://127.0.0.1:27017/")
MANAGEMENT_URL = os.environ.get("PLUT_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:15672/")
BROKER_VHOST = os.environ.get("PLUT_BROKER_VHOST", "plut")
BROKER_USER_PREFIX = os.environ.get("PLUT_BROKER_USER_PREFIX", DEFAULT_USER_PREFIX)
BROKER_ENV = STATE / "broker-env.json"


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

OPEN_FILES = 65_536
BROKER_LIMITS = Path("/etc/security/limits.d/90-plut-rabbitmq.conf")


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kwargs)


def more_open_files() -> None:
    """Let the broker open RabbitMQ's recommended 65,536 files.

    With the usual 1,024 it ran out of file handles (927 of 927) once a few
    hundred quorum queues existed, each keeping its segment files open, and
    then refused new connections. The Debian wrapper starts the broker through
    `su rabbitmq`, whose PAM session sets limits from `limits.d`, so the limit
    goes there (only when we run as root, as installing the broker does).
    """
    if os.geteuid() != 0 or BROKER_LIMITS.exists():
        return
    # Never above our own hard limit: PAM cannot raise it there in a container,
    # and then leaves the broker at 1,024.
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    BROKER_LIMITS.write_text(
        "# Written by the PLUT platform's scripts/infra.py: RabbitMQ's recommended limit.\n"
        f"rabbitmq soft nofile {files}\nrabbitmq hard nofile {files}\n"
    )


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
        more_open_files()
        run(["rabbitmq-server", "-detached"])
        wait_until(broker_answers, "RabbitMQ broker", 120, RABBITMQ_LOG_DIR)
        log(f"broker answers at {redact(AMQP_URL)}")
    if not management_answers() and is_local(AMQP_URL):
        run(["rabbitmq-plugins", "enable", "rabbitmq_management"], stdout=subprocess.DEVNULL)
        wait_until(management_answers, "RabbitMQ management API", 60, RABBITMQ_LOG_DIR)


def provision_broker_users(
    env_file: Path = BROKER_ENV, vhost: str = BROKER_VHOST, prefix: str = BROKER_USER_PREFIX
) -> dict[str, str]:
    """The vhost and a user per service; returns (and keeps) each PLUT_<SERVICE>_AMQP_URL."""
    known: dict[str, str] = json.loads(env_file.read_text()) if env_file.exists() else {}
    passwords = {}
    for service in SERVICES:
        existing = known.get(f"PLUT_{service.upper()}_AMQP_URL")
        passwords[service] = urlsplit(existing).password if existing else None
        passwords[service] = passwords[service] or secrets.token_urlsafe(24)
    admin = urlsplit(AMQP_URL)
    provisioner = BrokerProvisioner(
        MANAGEMENT_URL, admin.username or "guest", admin.password or "guest"
    )
    provisioner.provision(vhost, passwords, prefix)
    urls = {
        f"PLUT_{s.upper()}_AMQP_URL": service_url(AMQP_URL, vhost, broker_user(s, prefix), pw)
        for s, pw in passwords.items()
    }
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.touch(mode=0o600)
    env_file.write_text(json.dumps(urls, indent=2))
    return urls


# --- store: mongo-java-server (H2) ------------------------------------------


def java_and_maven() -> tuple[str, str]:
    needed = (("javac", JDK_PACKAGE), ("mvn", "maven"))
    missing = [package for tool, package in needed if not shutil.which(tool)]
    if missing:
        log(f"installing {', '.join(missing)} from Debian's packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", *missing], env=env)
    return shutil.which("java") or "java", shutil.which("mvn") or "mvn"


def build_store(java: str, mvn: str) -> None:
    """Fetch the jars from Maven Central and compile the launcher (first run only)."""
    started = time.monotonic()
    log("fetching mongo-java-server from Maven Central (first run only)")
    run(
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(STORE_POM),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={STORE_LIB}",
        ],
        stdout=subprocess.DEVNULL,
    )
    STORE_CLASSES.mkdir(parents=True, exist_ok=True)
    javac = str(Path(os.path.realpath(java)).with_name("javac"))
    if not Path(javac).exists():
        raise InfraError(f"javac not found beside {java}; install {JDK_PACKAGE}")
    run([javac, "-d", str(STORE_CLASSES), "-cp", store_classpath(), str(STORE_SOURCE)])
    STORE_READY.write_text(STORE_SOURCE.read_text())
    log(f"store built in {time.monotonic() - started:.1f}s")


def store_classpath() -> str:
    return os.pathsep.join([str(STORE_CLASSES), *sorted(str(p) for p in STORE_LIB.glob("*.jar"))])


def store_command(host: str, port: int, data_file: Path) -> list[str]:
    """The store's command line; builds the store first when its launcher changed."""
    java, mvn = java_and_maven()
    if not STORE_READY.exists() or STORE_READY.read_text() != STORE_SOURCE.read_text():
        build_store(java, mvn)
    classpath = store_classpath()
    return [java, "-Xmx1g", "-cp", classpath, "StoreServer", host, str(port), str(data_file)]


def ensure_store() -> None:
    if store_answers():
        log(f"store answers at {MONGO_URL}")
        return
    if not is_local(MONGO_URL):
        raise InfraError(f"store at {MONGO_URL} does not answer and is not local")
    address = urlsplit(MONGO_URL)
    command = store_command(address.hostname or "127.0.0.1", address.port or 27017, STORE_DATA)
    STORE_DATA.parent.mkdir(parents=True, exist_ok=True)
    STORE_LOG.parent.mkdir(parents=True, exist_ok=True)
    log("starting the store (mongo-java-server, H2 backend)")
    with STORE_LOG.open("ab") as log_file:
        process = subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    STORE_PID.write_text(str(process.pid))
    wait_until(store_answers, "MongoDB-wire store", 60, str(STORE_LOG))
    log(f"store answers at {MONGO_URL}")


def stop_store(timeout: float = 30.0) -> None:
    """SIGTERM, then wait: the JVM's shutdown hook closes the H2 store (nothing lost)."""
    if not STORE_PID.exists():
        return
    pid = int(STORE_PID.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        STORE_PID.unlink()
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise InfraError(f"store (pid {pid}) did not stop within {timeout:.0f}s")
    STORE_PID.unlink()
    log(f"stopped the store (pid {pid}); its data stays in {STORE_DATA}")


# --- commands ---------------------------------------------------------------


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def up() -> None:
    started = time.monotonic()
    ensure_broker()
    urls = provision_broker_users()
    log(f"broker users of vhost {BROKER_VHOST} ready; their URLs are in {BROKER_ENV}")
    ensure_store()
    print(f"PLUT_AMQP_URL={redact(AMQP_URL)}  # administrator, for operators only")
    for name, url in urls.items():
        print(f"{name}={redact(url)}")
    print(f"PLUT_MONGO_URL={MONGO_URL}")
    log(f"ready in {time.monotonic() - started:.1f}s")


def down() -> None:
    stop_store()
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
