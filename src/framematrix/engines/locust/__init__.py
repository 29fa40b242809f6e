"""The locust engine: Locust's master/worker mode, for load from several machines.

framematrix writes a locustfile from the scenario data (`locustfile`: the steps, templates,
flows and success statuses as data; the code that runs them is `scenario.py`), starts
Locust headless as master with `--expect-workers N`, starts the local workers itself, each
pinned to one load core, and waits for workers on other machines (`framematrix locust-worker
--master HOST:PORT`, `worker.py`), which download the same locustfile from the master.

Measured window: once every user runs, the master lets the warm-up go on for `warmup_s` on the
same users and connections, then tells every worker to open its window (and framematrix calls
`on_measuring()` as the master says so), and closes it `duration_s` later. Each worker logs the
responses that arrive inside its window into a Locust `StatsEntry` of its own and sends it back,
so the figures cover the measured window only, whatever Locust's periodic reports and
`--reset-stats` would have mixed in.

Latency precision: the HdrHistogram is built from Locust's own response-time buckets (its
`response_times` dict: rounded ms -> count), never from percentiles. Locust rounds each latency
to the nearest millisecond below 100 ms and to two significant digits above (10 ms steps up to
1 s, 100 ms steps up to 10 s, 1 s steps beyond: `locust.stats.bucket_response_time`), so
percentiles are good to +-0.5 ms below 100 ms and to +-5 % above; a latency under 0.5 ms reads
as 0. Min and max are exact (Locust keeps them unrounded). Every result says so.

Closed loop: `--concurrency` users, each one connection sending its next request on each
response (FastHttpUser, geventhttpclient). Open loop (`--rate`): Locust has no scheduler of
intended send times; each user is paced by `constant_throughput`, at most USER_RATE req/s, so a
user whose response takes longer than its pace falls behind and never catches up, and latency is
timed from the actual send (coordinated omission is not corrected: builtin corrects it). Every
open-loop result says so, and how far the rate sent fell short of the rate asked.

Options: `LocustOptions` (`--locust-workers`, `--locust-remote-workers`, `--locust-master`),
declared and checked in `options`; the engine is made with them, each trial's `LoadPlan` says
the load.

Errors: workers that do not all join within `join_timeout_s`, a worker that dies or stops
answering mid-trial, or a Locust that is not installed fail the trial with a one-line reason;
every process is in its own process group, stopped at the end whatever happened.

Its modules: `engine` (the seam), `options` (the options and the layout of master and workers
they make), `protocol` (the locustfile and what framematrix and the Locust processes agree on),
`cluster` (the processes of one trial), `results` (the master's results read back), `scenario`
(the code inside Locust), `worker` (`framematrix locust-worker`).
"""
