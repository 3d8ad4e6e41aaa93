"""Recipients as the sink page shows them: enough to tell owners apart, not to call them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def mask_phone(phone: str) -> str:
    """`+6281234565678` -> `+62812****5678`: operator prefix and last four digits."""
    if len(phone) <= 10:
        return "*" * len(phone)
    return phone[:6] + "*" * (len(phone) - 10) + phone[-4:]


def mask_email(address: str) -> str:
    """`andi@example.com` -> `a***@example.com`."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_recipient(channel: str, recipient: str) -> str:
    return mask_email(recipient) if channel == "email" else mask_phone(recipient)


def in_wib(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M:%S WIB")
