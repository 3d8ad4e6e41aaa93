"""A chaos run: the platform as real processes on a private broker node and store, faults
injected while registrations flow, and a tally of what was lost or duplicated."""
