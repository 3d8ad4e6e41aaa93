"""Registrations as an officer's client sends them, retrying what a crash left unanswered.

Every request has a NIK, phone and NIB of its own, so a retry with the same
body is idempotent: when the first attempt was stored but its answer was lost
(the service was killed), the retry gets a 409 naming the enterprise already
registered, and that counts as accepted once. A 409 on a first attempt, or
after only refusals, would mean the data were not unique: it is reported, not
accepted. The tally later checks that a 409's enterprise holds this phone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.chaos.bodies import e164

RETRY_PAUSE_S = 0.5
REQUEST_TIMEOUT_S = 60.0


@dataclass
class Outcome:
    """What the client learned about one registration (or import row)."""

    phone: str  # E.164, as the provider sees it
    umkm_id: str | None = None
    how: str = "gave up"  # created | conflict after retry | refused <status> | gave up
    attempts: int = 0
    unanswered: int = 0  # attempts without an answer (killed, reset, timed out) or a 5xx

    @property
    def accepted(self) -> bool:
        return self.how in ("created", "conflict after retry", "imported")


class Registrar:
    def __init__(self, base_url: str, token: str, concurrency: int, give_up_after_s: float):
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.gate = asyncio.Semaphore(concurrency)
        self.concurrency = concurrency
        self.give_up_after_s = give_up_after_s
        self.answered = 0  # registrations settled so far (the run's progress)

    async def register_all(self, bodies: Iterable[dict[str, Any]]) -> list[Outcome]:
        limits = httpx.Limits(max_connections=self.concurrency + 4)
        async with httpx.AsyncClient(
            base_url=self.base_url, headers=self.headers, limits=limits, timeout=REQUEST_TIMEOUT_S
        ) as client:
            return list(await asyncio.gather(*(self._one(client, body) for body in bodies)))

    async def _one(self, client: httpx.AsyncClient, body: dict[str, Any]) -> Outcome:
        async with self.gate:
            outcome = await self.register(client, body)
        self.answered += 1
        return outcome

    async def register(self, client: httpx.AsyncClient, body: dict[str, Any]) -> Outcome:
        outcome = Outcome(e164(body["phone"]))
        deadline = time.monotonic() + self.give_up_after_s
        while time.monotonic() < deadline:
            outcome.attempts += 1
            try:
                response = await client.post("/enterprises", json=body)
            except httpx.TransportError:  # refused, reset, or no answer in time
                outcome.unanswered += 1
                await asyncio.sleep(RETRY_PAUSE_S)
                continue
            if self._settled(response, outcome):
                return outcome
            await asyncio.sleep(RETRY_PAUSE_S)
        return outcome

    @staticmethod
    def _settled(response: httpx.Response, outcome: Outcome) -> bool:
        """Record a final answer; False when the request is to be sent again."""
        status = response.status_code
        if status == 201:
            outcome.umkm_id, outcome.how = response.json()["umkm_id"], "created"
            return True
        existing = response.json().get("existing_umkm_id") if status == 409 else None
        if existing and outcome.unanswered:
            outcome.umkm_id, outcome.how = existing, "conflict after retry"
            return True
        if status >= 500 or (status == 409 and not existing):
            outcome.unanswered += status >= 500  # a 5xx may still have been stored
            return False  # a 409 without an id is a lost race ("changed meanwhile")
        outcome.how = f"refused {status}"
        return True
