"""Prometheus metrics of a service: HTTP, messaging kernel, and the service's own.

`registry.ServiceMetrics` holds one registry per service host; `endpoint`
serves it at `/metrics` behind its own bearer token; `http` measures requests;
`kernel`, `backlog` and `deliveries` are what the messaging kernel calls.
README, "Operators: metrics", lists every metric.
"""
