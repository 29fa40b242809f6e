"""One HTTP client for the UI tests."""

import httpx

http = httpx.Client(timeout=60)
"""Pages that build a run's report or decision take seconds on a busy machine: httpx's default
5 s timed out there."""
