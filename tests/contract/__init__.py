"""Contract tests: every contestant, over real HTTP, against the one contract."""
