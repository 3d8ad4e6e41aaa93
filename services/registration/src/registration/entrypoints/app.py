"""ASGI entry point: `uvicorn registration.entrypoints.app:create_app --factory`."""

from __future__ import annotations

from registration.bootstrap import create_app

__all__ = ["create_app"]
