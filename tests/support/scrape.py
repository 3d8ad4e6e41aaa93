"""Reading a `/metrics` answer: samples by name and labels, and the names a scrape exposes."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

# The series a family of each type exposes, by suffix of its name.
SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_count", "_sum"),
    "summary": ("", "_count", "_sum"),
    "gauge": ("",),
    "info": ("_info",),
}


@dataclass(frozen=True)
class Scrape:
    text: str

    def value(self, name: str, **labels: str) -> float:
        """The sample `name` whose labels include `labels`; 0 when there is none yet."""
        found = [
            sample.value
            for family in text_string_to_metric_families(self.text)
            for sample in family.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        ]
        assert len(found) <= 1, f"{name}{labels} matches {len(found)} series"
        return found[0] if found else 0.0

    def label_values(self, name: str, label: str) -> set[str]:
        return {
            sample.labels[label]
            for family in text_string_to_metric_families(self.text)
            for sample in family.samples
            if sample.name == name and label in sample.labels
        }

    def series_names(self) -> set[str]:
        """Every series name the families here can have, observed yet or not."""
        names = set()
        for family in text_string_to_metric_families(self.text):
            names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
            names |= {sample.name for sample in family.samples}
        return names
