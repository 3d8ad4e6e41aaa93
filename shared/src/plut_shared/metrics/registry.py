"""One registry per service host, holding the kernel's, HTTP and the service's own metrics.

A registry per host rather than the process-wide default, so two services
served by one process (as tests do) never mix their numbers, and a service
adds its domain metrics by handing `registry` to `prometheus_client`'s
`Counter`/`Gauge`/`Histogram`.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, disable_created_metrics, generate_latest
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from plut_shared.metrics.http import HttpMetrics
from plut_shared.metrics.kernel import KernelMetrics


class ServiceMetrics:
    def __init__(self) -> None:
        # The `_created` series double the count and say nothing a dashboard uses.
        disable_created_metrics()
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of the process
        PlatformCollector(registry=self.registry)  # Python version
        self.http = HttpMetrics(self.registry)
        self.kernel = KernelMetrics(self.registry)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes; reads counters and gauges, queries nothing."""
        return bytes(generate_latest(self.registry))
