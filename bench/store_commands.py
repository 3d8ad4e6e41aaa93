"""Store commands the kernel path sends per event, by command and collection.

The driver's command listener counts every command of every client in the
process (`pymongo.monitoring.register`, so it must run before the service makes
its client). Per event: the writer's read and compare-and-swap on a changed
aggregate (an insert for a new one), the consumer's read and compare-and-swap
for `apply_once`, and the relay's share of its batch commands. Together with
the driver's CPU per command these bound the events per second a core allows.
"""

from __future__ import annotations

from collections import Counter

from pymongo import monitoring


class StoreCommands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    @classmethod
    def listening(cls) -> StoreCommands:
        listener = cls()
        monitoring.register(listener)
        return listener

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        target = event.command.get(event.command_name)
        collection = target if isinstance(target, str) else ""
        self.counts[(event.command_name, collection)] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def snapshot(self) -> Counter[tuple[str, str]]:
        return Counter(self.counts)


def per_event(since: Counter[tuple[str, str]], now: Counter[tuple[str, str]], events: int) -> str:
    """`3.06 = insert counters 1.00 + find totals 1.00 + ...` between two snapshots."""
    spent = now - since
    parts = [
        f"{name} {collection} {count / events:.2f}".replace("  ", " ")
        for (name, collection), count in spent.most_common()
        if count / events >= 0.005
    ]
    return f"{sum(spent.values()) / events:.2f} = " + " + ".join(parts)
