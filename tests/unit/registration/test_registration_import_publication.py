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


async def test_a_look_goes_on_while_whole_batches_are_published_up_to_the_budget():
    outboxes, clock = Outboxes({"c", "f"}), Clock()
    tracker = PublicationTracker(outboxes, batch=2, budget=4, pause=0.0, clock=clock)
    tracker.follow(["a", "b", "c", "d", "e", "f", "g", "h"])

    first = await tracker.refresh()  # a b published: on to c d, where c still waits
    outboxes.waiting = set()
    second = await tracker.refresh()  # e f, g h: the budget of 4 ids
    third = await tracker.refresh()  # c, which had gone to the back

    assert outboxes.asked == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"], ["c"]]
    assert (first, second, third) == (3, 7, 8)
