"""The security audit: probes over HTTP, Observatory-style scoring, the article's claims judged.

`probes/` measures, `scoring.py` grades, `claims.py` judges, `runner.py` starts and audits,
`store.py` keeps `audit.json`. WEB_CONTRACT.md says what a contestant's web side must offer;
AUDIT.md documents the probes, the scoring table and the file format.
"""
