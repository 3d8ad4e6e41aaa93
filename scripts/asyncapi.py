"""Write the AsyncAPI document of every service to docs/asyncapi/<service>.json,
and the partners' document (the partner stream) to docs/asyncapi/partners.json.

    uv run python -m scripts.asyncapi

Partners read these checked-in documents; a test fails when one is stale.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from plut_shared.auth import TokenRegistry
from plut_shared.messaging.docs import asyncapi_json, partner_asyncapi_json

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "asyncapi"
SERVICES = ("registration", "training", "notifications", "financing")
PARTNERS = DOCS / "partners.json"


def render(service: str) -> str:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    # Building the app connects nothing; it only registers subscribers and publishers.
    app = bootstrap.create_app(tokens=TokenRegistry([]))
    return asyncapi_json(app.state.host.messaging.broker, service)


def documents() -> dict[Path, str]:
    rendered = {DOCS / f"{service}.json": render(service) for service in SERVICES}
    return rendered | {PARTNERS: partner_asyncapi_json()}


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for path, text in documents().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
