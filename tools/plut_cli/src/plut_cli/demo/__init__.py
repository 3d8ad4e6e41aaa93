"""Demo data for `plut demo load`: invented enterprises, loaded through the public HTTP APIs."""
