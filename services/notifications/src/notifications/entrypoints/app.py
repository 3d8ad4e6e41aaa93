"""ASGI factory: `uvicorn notifications.entrypoints.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from notifications import bootstrap


def create_app() -> FastAPI:
    return bootstrap.create_app()
