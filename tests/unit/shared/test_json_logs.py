"""Logs are JSON lines carrying the ids that tie a chain of events together."""

from __future__ import annotations

import io
import json
import logging

from plut_shared.logs import JsonFormatter, log_context


def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("registration"))
    logger = logging.getLogger("test.json_logs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_a_record_logged_inside_a_context_carries_its_event_and_correlation_ids() -> None:
    logger, stream = capture()
    with log_context(event_id="e-1", correlation_id="c-1", event_type="registration.umkm.erased"):
        logger.info("event applied", extra={"attempt": 2})
    entry = json.loads(stream.getvalue())
    assert entry["msg"] == "event applied"
    assert entry["service"] == "registration"
    assert (entry["event_id"], entry["correlation_id"]) == ("e-1", "c-1")
    assert entry["event_type"] == "registration.umkm.erased"
    assert entry["attempt"] == 2


def test_the_context_ends_with_its_block() -> None:
    logger, stream = capture()
    with log_context(event_id="e-2"):
        pass
    logger.info("outside")
    assert "event_id" not in json.loads(stream.getvalue())


def test_an_error_is_logged_with_its_type() -> None:
    logger, stream = capture()
    try:
        raise ConnectionError("store unavailable")
    except ConnectionError:
        logger.warning("handler failed", exc_info=True)
    assert json.loads(stream.getvalue())["error_type"] == "ConnectionError"
