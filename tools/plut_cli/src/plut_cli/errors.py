"""Expected failures end in one line on stderr and exit code 1, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import httpx
import typer
from aio_pika.exceptions import AMQPConnectionError, AMQPError
from pymongo.errors import PyMongoError
from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")

errors = Console(stderr=True, highlight=False, soft_wrap=True)


class CliError(Exception):
    """A failure the operator can act on; its message is the whole story."""


def describe(error: Exception) -> str:
    """One line for the failures an operator meets: unreachable parts, refusals."""
    if isinstance(error, CliError):
        return str(error)
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return f"cannot reach {error.request.url.host}:{error.request.url.port} ({error})"
    if isinstance(error, httpx.HTTPError):
        return f"HTTP request failed: {type(error).__name__}: {error}"
    if isinstance(error, AMQPConnectionError | ConnectionError):
        # The error text, never the URL: it holds the broker password.
        return f"cannot reach the broker (PLUT_AMQP_URL): {error}"
    if isinstance(error, AMQPError):
        return f"the broker refused: {error}"
    if isinstance(error, PyMongoError):
        return f"the store (PLUT_MONGO_URL) failed: {type(error).__name__}"
    return f"{type(error).__name__}: {error}"


EXPECTED = (CliError, httpx.HTTPError, AMQPError, ConnectionError, PyMongoError, OSError)


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures of a command into one line and exit code 1."""

    @functools.wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except EXPECTED as error:
            errors.print(f"plut: error: {describe(error)}", markup=False)
            raise typer.Exit(1) from None

    return guarded
