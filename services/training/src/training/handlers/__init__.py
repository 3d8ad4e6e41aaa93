"""Use cases of the training service, as plain async methods grouped by area.

Each one loads aggregates through the aggregate store, lets the domain decide,
and saves state and events in one write. They know nothing of HTTP: callers
map the errors in `common` and `training.domain.errors` to status codes.
"""
