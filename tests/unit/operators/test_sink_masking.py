"""What the local message page shows of a recipient, and when."""

from __future__ import annotations

from datetime import UTC, datetime

from plut_cli.sinks import Delivered, Mailbox
from plut_cli.sinks.masking import in_wib, mask_email, mask_phone
from plut_cli.sinks.page import render_page


def test_phone_numbers_keep_the_operator_prefix_and_the_last_four_digits() -> None:
    assert mask_phone("+6281234565678") == "+62812****5678"
    assert mask_phone("+628123456789") == "+62812***6789"
    assert mask_phone("12345") == "*****"


def test_emails_keep_the_first_letter_and_the_domain() -> None:
    assert mask_email("andi@example.com") == "a***@example.com"
    assert mask_email("not-an-address") == "***"


def test_times_are_shown_in_wib() -> None:
    assert in_wib(datetime(2026, 11, 10, 3, 5, 9, tzinfo=UTC)) == "10-11-2026 10:05:09 WIB"


def test_the_page_escapes_text_and_never_shows_a_full_recipient() -> None:
    mailbox = Mailbox()
    mailbox.add(Delivered("whatsapp", "+6281234565678", "Halo <script>x</script>"))
    mailbox.add(Delivered("email", "siti@example.com", "Selamat datang", subject="Selamat"))
    page = render_page(mailbox)
    assert "+62812****5678" in page and "+6281234565678" not in page
    assert "s***@example.com" in page and "siti@example.com" not in page
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_the_mailbox_keeps_the_newest_messages_up_to_its_capacity() -> None:
    mailbox = Mailbox(capacity=2)
    for n in range(3):
        mailbox.add(Delivered("sms", "+6281234565678", f"pesan {n}"))
    assert [item.text for item in mailbox.newest_first()] == ["pesan 2", "pesan 1"]
