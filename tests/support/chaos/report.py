"""The chaos run's figures as a plain table (the form `docs/chaos.md` quotes)."""

from __future__ import annotations

from tests.support.chaos.run import ChaosResult


def _breakdown(counts: dict[str, int], skip: str = "any step") -> str:
    parts = [f"{step} {count}" for step, count in counts.items() if step != skip and count]
    return f"  ({', '.join(parts)})" if parts else ""


def render(result: ChaosResult) -> str:
    t = result.tally
    answers = ", ".join(f"{how} {count}" for how, count in sorted(t.answers.items()))
    states = ", ".join(f"{state} {count}" for state, count in sorted(t.welcome_states.items()))
    rows = [
        ("submitted", f"{t.submitted}"),
        ("accepted", f"{t.accepted}  ({answers})"),
        ("stored", f"{t.stored}  (not accepted by the client: {t.stored_not_accepted})"),
        ("published", f"{t.published}  (copies seen at the probe: {t.published_copies})"),
        ("outbox still pending", f"{t.outbox_pending}"),
        ("consumed (contacts)", f"{t.consumed}"),
        ("welcome messages", f"{t.welcome_messages}  ({states})"),
        ("welcomes at the sink", f"{t.welcomes_delivered}  (requests {t.welcomes_requested})"),
        ("LOST", f"{t.lost_total}{_breakdown(dict(t.lost))}"),
        ("DUPLICATED (any step)", f"{t.duplicated_total}{_breakdown(dict(t.duplicated))}"),
        ("duplicated, owner saw", f"{t.duplicated_owner_visible}"),
        ("resent, dropped by key", f"{t.resent_dropped_by_key}"),
    ]
    lines = [f"{name:<24} {value}" for name, value in rows]
    lines += [f"  lost: {example}" for example in t.lost_examples]
    timing = (
        f"load {result.load_s:.1f} s, settled in {result.settle_s:.1f} s"
        if result.settled
        else f"load {result.load_s:.1f} s, NOT settled after {result.settle_s:.1f} s"
    )
    faults = [
        f"  {f.at_s:7.1f} s ({f.progress:4.0%} answered)  {f.action}, back after {f.took_s:.1f} s"
        for f in result.faults
    ]
    return "\n".join([timing, "faults:", *faults, *lines])
