"""Operator access to a service's parking lot: list, inspect, replay, purge.

Messages are browsed by taking them without ack on a private channel and
closing it, which returns every unacked message to the queue untouched.
Replay acks a message only after its copy was confirmed on the original queue.
Replay goes through the service's own exchange with the service's own broker
credentials: the copy then carries the service's `user_id` and the verified
original publisher (`trust.py`), so its consumer accepts it as it would have
the original. A copy replayed under another user is parked again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from plut_shared.messaging import headers as h
from plut_shared.messaging.trust import PublisherTrust, user_of

# Headers that describe a failure; a replayed message starts afresh without them.
_FAILURE_HEADERS = {
    h.ATTEMPTS,
    h.ERROR_TYPE,
    h.ERROR_MESSAGE,
    h.PARKED_AT,
    h.PARK_REASON,
    h.FIRST_FAILURE_AT,
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
    "x-delivery-count",
}


@dataclass(frozen=True)
class ParkedMessage:
    message_id: str | None
    event_type: str | None
    reason: str
    error_type: str | None
    error_message: str | None
    attempts: int | None
    original_queue: str | None
    parked_at: str | None
    headers: dict[str, Any]
    body: bytes

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in {"headers", "body"}}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode(errors="replace") if isinstance(value, bytes | bytearray) else str(value)


def _describe(message: AbstractIncomingMessage) -> ParkedMessage:
    headers: dict[str, Any] = dict(message.headers)
    # Messages dead-lettered by the broker (delivery limit) carry x-death, not our headers.
    death_reason = headers.get("x-first-death-reason")
    return ParkedMessage(
        message_id=message.message_id,
        event_type=message.type,
        reason=_text(headers.get(h.PARK_REASON)) or f"broker:{_text(death_reason) or 'unknown'}",
        error_type=_text(headers.get(h.ERROR_TYPE)),
        error_message=_text(headers.get(h.ERROR_MESSAGE)),
        attempts=headers.get(h.ATTEMPTS) or headers.get("x-delivery-count"),
        original_queue=_text(headers.get(h.ORIGINAL_QUEUE) or headers.get("x-first-death-queue")),
        parked_at=_text(headers.get(h.PARKED_AT)),
        headers=headers,
        body=message.body,
    )


class ParkingLot:
    def __init__(self, amqp_url: str, service: str) -> None:
        self.amqp_url = amqp_url
        self.queue_name = f"{service}.parking"
        self.exchange = f"{service}.internal"
        # Replaying as the service's own user: its headers are the ones to believe.
        self.trust = PublisherTrust(user_of(amqp_url))

    async def list(self, limit: int = 100) -> list[ParkedMessage]:
        async with self._browse() as (_, messages):
            return [_describe(m) for m in messages[:limit]]

    async def inspect(self, message_id: str) -> ParkedMessage | None:
        async with self._browse() as (_, messages):
            found = _find(messages, message_id)
            return _describe(found) if found else None

    async def replay(self, message_id: str) -> bool:
        """Send a parked message back to the queue it failed on, with fresh attempts."""
        async with self._browse() as (channel, messages):
            found = _find(messages, message_id)
            if found is None:
                return False
            parked = _describe(found)
            if not parked.original_queue:
                raise ValueError(f"parked message {message_id} names no original queue")
            clean = {k: v for k, v in parked.headers.items() if k not in _FAILURE_HEADERS}
            clean.pop(h.VERIFIED_PUBLISHER, None)
            publisher = self.trust.verified_publisher(found.user_id, found.headers)
            if publisher:
                clean[h.VERIFIED_PUBLISHER] = publisher
            exchange = await channel.get_exchange(self.exchange, ensure=False)
            await exchange.publish(
                aio_pika.Message(
                    found.body,
                    headers=clean,
                    message_id=found.message_id,
                    correlation_id=found.correlation_id,
                    type=found.type,
                    content_type=found.content_type,
                    content_encoding=found.content_encoding,
                    user_id=user_of(self.amqp_url),
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=parked.original_queue,
                mandatory=True,
            )
            await found.ack()
            return True

    async def purge(self, message_id: str | None = None) -> int:
        """Drop one parked message, or all of them when no id is given."""
        async with self._browse() as (_, messages):
            doomed = [m for m in messages if message_id is None or m.message_id == message_id]
            for message in doomed:
                await message.ack()
            return len(doomed)

    def _browse(self) -> _Browse:
        return _Browse(self.amqp_url, self.queue_name)


def _find(
    messages: list[AbstractIncomingMessage], message_id: str
) -> AbstractIncomingMessage | None:
    return next((m for m in messages if m.message_id == message_id), None)


class _Browse:
    """Takes every message of the queue unacked; closing the channel returns the rest."""

    def __init__(self, amqp_url: str, queue_name: str, max_messages: int = 10_000) -> None:
        self.amqp_url, self.queue_name, self.max_messages = amqp_url, queue_name, max_messages

    async def __aenter__(self) -> tuple[AbstractChannel, list[AbstractIncomingMessage]]:
        self.connection = await aio_pika.connect(self.amqp_url)
        try:
            return await self._take_all()
        except BaseException:
            # __aexit__ does not run when __aenter__ fails (e.g. no such queue).
            await self.connection.close()
            raise

    async def _take_all(self) -> tuple[AbstractChannel, list[AbstractIncomingMessage]]:
        channel = await self.connection.channel(publisher_confirms=True, on_return_raises=True)
        queue: AbstractQueue = await channel.get_queue(self.queue_name, ensure=True)
        messages: list[AbstractIncomingMessage] = []
        while len(messages) < self.max_messages:
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                break
            messages.append(message)
        return channel, messages

    async def __aexit__(self, *exc_info: object) -> None:
        await self.connection.close()


def as_json(message: ParkedMessage) -> str:
    body: Any
    try:
        body = json.loads(message.body)
    except (ValueError, RecursionError):
        body = message.body.decode(errors="replace")
    return json.dumps(
        {**message.summary(), "headers": message.headers, "body": body}, default=str, indent=2
    )
