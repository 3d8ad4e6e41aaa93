"""How the outside world reaches the service: the HTTP API and the ASGI app factory."""
