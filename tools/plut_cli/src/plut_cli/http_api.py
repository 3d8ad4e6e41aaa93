"""Talking to a service's HTTP API: one client, refusals as one-line errors."""

from __future__ import annotations

from typing import Any

import httpx

from plut_cli.errors import CliError

# An import upload of up to 20 MB may take long on a slow link; the service answers it at
# once (the import runs as a job), but a busy service may take a while to answer anything.
TIMEOUT = httpx.Timeout(60.0, connect=10.0, write=600.0)


def client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )


def refusal(response: httpx.Response) -> CliError:
    """The service's own reason, in one line (401/403/413/422 say what to fix)."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(body, dict) and body.get("errors"):
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in body["errors"])
    hint = {401: " (check --token or PLUT_API_TOKEN)", 403: " (this token's role may not)"}
    reason = detail if isinstance(detail, str) else response.reason_phrase
    where = f"{response.request.method} {response.request.url.path}"
    return CliError(
        f"{where} answered {response.status_code}: {reason}{hint.get(response.status_code, '')}"
    )
