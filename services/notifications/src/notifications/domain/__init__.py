"""Pure domain of the notifications service: rules, templates, channels, quiet hours.

Nothing here does I/O or imports a driver; the adapters and handlers do.
"""
