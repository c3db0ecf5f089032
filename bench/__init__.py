"""The benchmark: synthetic inventories, the floor script, the runner and the phase timer (issue 8)."""
