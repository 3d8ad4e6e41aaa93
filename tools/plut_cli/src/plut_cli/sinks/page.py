"""The page of messages that would have reached owners on a local run (`GET /`).

Recipients are masked and times are in WIB. The page refreshes itself every
5 seconds; `GET /messages.json` gives the same rows as JSON.
"""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from plut_cli.sinks.mailbox import Delivered, Mailbox
from plut_cli.sinks.masking import in_wib, mask_recipient

_CHANNELS = {"whatsapp": "WhatsApp", "sms": "SMS", "email": "Email"}
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2933; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
p.note { color: #52606d; max-width: 60rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .7rem; }
td { border-bottom: 1px solid #d9e2ec; }
th { background: #f0f4f8; font-weight: 600; }
td.text { white-space: pre-wrap; max-width: 48rem; }
span.channel { display: inline-block; padding: .1rem .5rem; border-radius: .6rem; }
span.whatsapp { background: #d5f5e3; }
span.sms { background: #fdebd0; }
span.email { background: #d6eaf8; }
code { background: #f0f4f8; padding: 0 .2rem; }
"""
_SCHEDULED_NOTE = (
    "Pesan di luar jam tenang langsung muncul di sini. Pesan yang ditahan (jam tenang "
    "21.00&ndash;07.00 WIB) atau menunggu percobaan ulang belum sampai ke sini: lihat "
    "<code>GET /enterprises/{umkm_id}/messages</code> di layanan notifications "
    "(kolom <code>state</code> dan <code>due_at</code>)."
)


def row(item: Delivered) -> dict[str, Any]:
    return {
        "received_at": in_wib(item.received_at),
        "channel": item.channel,
        "recipient": mask_recipient(item.channel, item.recipient),
        "subject": item.subject,
        "text": item.text,
    }


def _html_row(item: dict[str, Any]) -> str:
    channel = escape(item["channel"])
    subject = f"<strong>{escape(item['subject'])}</strong>\n" if item["subject"] else ""
    return (
        f"<tr><td>{escape(item['received_at'])}</td>"
        f'<td><span class="channel {channel}">{escape(_CHANNELS.get(channel, channel))}</span></td>'
        f"<td>{escape(item['recipient'])}</td>"
        f'<td class="text">{subject}{escape(item["text"])}</td></tr>'
    )


def render_page(mailbox: Mailbox) -> str:
    rows = [row(item) for item in mailbox.newest_first()]
    body = "".join(_html_row(item) for item in rows) or (
        '<tr><td colspan="4">Belum ada pesan. Daftarkan UMKM (atau jalankan '
        "<code>plut demo load</code>) dan pesan sambutannya muncul di sini.</td></tr>"
    )
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>PLUT: pesan ke pemilik usaha (lokal)</title><style>{_STYLE}</style></head>
<body><h1>Pesan ke pemilik usaha &mdash; jalankan lokal</h1>
<p class="note">Pesan WhatsApp, SMS dan email yang akan diterima pemilik UMKM, ditangkap di mesin
ini dan tidak dikirim ke mana pun ({len(rows)} pesan, terbaru di atas). Nomor dan alamat
disamarkan. {_SCHEDULED_NOTE}</p>
<table><thead><tr><th>Waktu (WIB)</th><th>Kanal</th><th>Penerima</th><th>Pesan</th></tr></thead>
<tbody>{body}</tbody></table></body></html>"""


def page_routes(mailbox: Mailbox) -> list[Route]:
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(render_page(mailbox))

    async def as_json(request: Request) -> JSONResponse:
        return JSONResponse([row(item) for item in mailbox.newest_first()])

    return [Route("/", page, methods=["GET"]), Route("/messages.json", as_json, methods=["GET"])]
