"""Running the `plut` command in tests, and serving an app over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from plut_cli.app import app
from typer.testing import CliRunner, Result


def plut(*args: str, env: dict[str, str] | None = None) -> Result:
    """`plut ARGS` in this process, with stdout and stderr kept apart.

    A wide terminal, so that tables do not wrap the values tests look for.
    """
    wide = {"COLUMNS": "240", **(env or {})}
    return CliRunner().invoke(app, list(args), env=wide, catch_exceptions=False)


async def plut_async(*args: str, env: dict[str, str] | None = None) -> Result:
    """The same from a test's event loop: commands run their own loop, so in a thread."""
    return await asyncio.to_thread(plut, *args, env=env)


@contextlib.contextmanager
def serving_over_http(app_to_serve: object) -> Iterator[str]:
    """Serve an ASGI app (with its lifespan) on a free local port; yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app_to_serve, log_level="warning", lifespan="on")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start serving")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        listener.close()
