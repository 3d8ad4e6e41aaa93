"""The 50-for-10 enrolment race over HTTP against two training processes on one store.

Each process decides seats with the session document's compare-and-swap, so
the outcome is exact however requests are split between them. The test prints
the throughput and latency of the race; it asserts none of them (README,
"Tests and benchmarks").
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time

import httpx

from tests.component.registration.examples import auth
from tests.component.training.processes import training_processes
from tests.component.training.support import in_days, known_enterprises, planned_session
from tests.support.event_probe import EventProbe
from tests.support.waiting import eventually

ENTERPRISES, SEATS, ROUNDS = 50, 10, 3


async def race(clients: list[httpx.AsyncClient], session_id: str, ids: list[str]):
    async def enrol(index: int, umkm_id: str) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        answer = await clients[index % len(clients)].post(
            f"/sessions/{session_id}/enrollments",
            json={"umkm_id": umkm_id},
            headers=auth("officer"),
        )
        return answer, time.perf_counter() - started

    started = time.perf_counter()
    results = await asyncio.gather(*(enrol(n, u) for n, u in enumerate(ids)))
    return results, time.perf_counter() - started


def report(round_: int, latencies: list[float], wall: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[math.ceil(0.99 * len(ordered)) - 1]
    return (
        f"round {round_}: {len(ordered)} enrolments for {SEATS} seats over 2 processes in "
        f"{wall * 1000:.0f} ms = {len(ordered) / wall:.0f} enrolments/s; latency p50 "
        f"{statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )


async def one_round(clients: list[httpx.AsyncClient], ids: list[str], probe: EventProbe, n: int):
    """One race on a new session; checks the outcome and returns the printed figures."""
    session = await planned_session(clients[1], in_days(5), capacity=SEATS)
    results, wall = await race(clients, session["session_id"], ids)
    answers = [answer for answer, _ in results]
    failed = [a.text for a in answers if a.status_code != 201]
    assert failed == []
    placed = [a.json() for a in answers]
    assert sum(p["status"] == "confirmed" for p in placed) == SEATS
    waiting = sorted(p["waitlist_position"] for p in placed if p["status"] == "waitlisted")
    assert waiting == list(range(1, ENTERPRISES - SEATS + 1))
    url = f"/sessions/{session['session_id']}"
    seen = (await clients[n % 2].get(url, headers=auth("viewer"))).json()
    assert (seen["seats_taken"], seen["waitlist_length"]) == (SEATS, ENTERPRISES - SEATS)

    # Distinct enterprises, not a count: the relay may publish an event twice
    # (a broker that did not confirm in time), which consumers absorb.
    async def published() -> set[str]:
        of_session = probe.matching(lambda e: e.subject_id == session["session_id"])
        return {e.payload["umkm_id"] for e in of_session}

    await eventually(published, lambda found: found == set(ids), timeout=60)
    return report(n, [latency for _, latency in results], wall)


async def test_fifty_enrolments_for_ten_seats_split_over_two_processes_seat_exactly_ten(
    infra, amqp_url: str, service_urls, broker_user_prefix: str, database_name: str, sender
):
    async with training_processes(
        2,
        amqp_url=service_urls["training"],
        user_prefix=broker_user_prefix,
        mongo_url=infra.mongo_url,
        database=database_name,
    ) as urls:
        limits = httpx.Limits(max_connections=ENTERPRISES)
        clients = [httpx.AsyncClient(base_url=url, limits=limits, timeout=60) for url in urls]
        async with clients[0], clients[1], EventProbe(amqp_url, ["training.enrollment.*"]) as probe:
            ids = await known_enterprises(clients[0], sender, ENTERPRISES)
            lines = [await one_round(clients, ids, probe, n) for n in range(1, ROUNDS + 1)]
            print("\n" + "\n".join(lines))
