"""Adapters of the notifications service: delivery channels (and, later, storage)."""
