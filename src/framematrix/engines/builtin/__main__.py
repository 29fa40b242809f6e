"""A builtin load process: `python -m framematrix.engines.builtin` (see processes.py)."""

from framematrix.engines.builtin.processes import child_main

child_main()
