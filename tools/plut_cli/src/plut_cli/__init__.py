"""The operator command `plut` (see the README) and the local message sinks."""
