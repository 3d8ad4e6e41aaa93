"""ASGI entry point: `uvicorn financing.entrypoints.app:create_app --factory`."""

from __future__ import annotations

from financing.bootstrap import create_app

__all__ = ["create_app"]
