"""Fixtures of the end-to-end tests that run several services together."""

from tests.e2e.three_services import platform, three_services_broker

__all__ = ["platform", "three_services_broker"]
