"""The count of an import's published events: read by `_id`, each id until published only."""

from __future__ import annotations

from registration.import_publication import PublicationTracker


class Outboxes:
    def __init__(self, waiting: set[str]) -> None:
        self.waiting = waiting
        self.asked: list[list[str]] = []

    async def unpublished(self, umkm_ids: list[str]) -> set[str]:
        self.asked.append(list(umkm_ids))
        return self.waiting & set(umkm_ids)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_each_enterprise_counts_once_and_published_ones_are_not_read_again():
    outboxes, clock = Outboxes({"b", "c"}), Clock()
    tracker = PublicationTracker(outboxes, pause=1.0, clock=clock)
    tracker.follow(["a", "b", "c"])
    tracker.follow(["a", "b"])  # a checkpoint hands over every id so far: no double count

    first = await tracker.refresh()
    outboxes.waiting = {"c"}
    clock.now += 1.0
    second = await tracker.refresh()

    assert (first, second) == (1, 2)
    assert outboxes.asked == [["a", "b", "c"], ["b", "c"]]


async def test_polls_within_the_pause_are_answered_from_memory():
    outboxes, clock = Outboxes(set()), Clock()
    tracker = PublicationTracker(outboxes, pause=1.0, clock=clock)
    tracker.follow(["a"])
    await tracker.refresh()
    tracker.follow(["b"])

    clock.now += 0.5
    soon = await tracker.refresh()
    clock.now += 0.5
    later = await tracker.refresh()

    assert (soon, later) == (1, 2)
    assert len(outboxes.asked) == 2


async def test_one_look_reads_at_most_the_budget_and_the_next_reads_others_first():
    outboxes, clock = Outboxes({"a", "b", "c", "d"}), Clock()
    tracker = PublicationTracker(outboxes, budget=2, pause=0.0, clock=clock)
    tracker.follow(["a", "b", "c", "d"])

    await tracker.refresh()
    await tracker.refresh()
    outboxes.waiting = set()
    await tracker.refresh()
    await tracker.refresh()

    assert outboxes.asked == [["a", "b"], ["c", "d"], ["a", "b"], ["c", "d"]]
    assert tracker.published == 4
