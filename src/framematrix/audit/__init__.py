"""The security audit: probes over HTTP and Observatory-style scoring.

`probes/` measures, `scoring.py` grades, `runner.py` starts and audits, `store.py` keeps
`audit.json`. The article's security claims are judged from the audits one layer up, with the
other claims (`claims/security.py`). WEB_CONTRACT.md says what a contestant's web side
must offer; AUDIT.md documents the probes, the scoring table and the file format.
"""
