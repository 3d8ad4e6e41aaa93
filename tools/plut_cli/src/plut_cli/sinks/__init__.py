"""Local stand-ins for the notification channels, and a page listing what they received.

`SmtpSink` is an SMTP server (aiosmtpd) and `ProviderSink` an HTTP server
speaking the WhatsApp/SMS provider API that `notifications.adapters.channels`
calls (`POST /v1/messages`). Both write into one `Mailbox`, which the provider
sink's page (`GET /`) lists: channel, masked recipient, text, time in WIB.
`scripts/run` starts them with `plut sinks`; tests use them as real servers.
"""

from plut_cli.sinks.mailbox import Delivered, Mailbox
from plut_cli.sinks.provider import ProviderRequest, ProviderSink
from plut_cli.sinks.smtp import ReceivedEmail, SmtpSink

__all__ = [
    "Delivered",
    "Mailbox",
    "ProviderRequest",
    "ProviderSink",
    "ReceivedEmail",
    "SmtpSink",
]
