"""A load-process stand-in for tests/engines/test_builtin.py: speaks the pipe protocol of
engines/load_processes.py, waits the delay it is given, then reports and exits."""

from __future__ import annotations

import json
import time

from framematrix.engines.load_processes import child_payload, hear, say

if __name__ == "__main__":
    delay = child_payload()
    say("ready")
    hear()
    time.sleep(delay)
    say("done " + json.dumps({"requests": 1}))
