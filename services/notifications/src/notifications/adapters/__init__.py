"""Adapters of the notifications service: delivery channels, contact book, message store."""
