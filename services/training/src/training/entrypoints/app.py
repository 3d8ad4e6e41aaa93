"""ASGI entry point: `uvicorn training.entrypoints.app:create_app --factory`."""

from __future__ import annotations

from training.bootstrap import create_app

__all__ = ["create_app"]
