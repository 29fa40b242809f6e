"""The upstream service: another service of known latency that some requests wait on.

framematrix starts it for a run (`running.RunningUpstream`), contestants reach it through the
settings of `settings.py` and call it with the helpers of `calls.py`; `service.py` is the
server itself, runnable as `python -m framematrix.upstream`. Nothing here is imported by a
contestant except `settings` and `calls`, so a contestant never loads the server's code.
"""
