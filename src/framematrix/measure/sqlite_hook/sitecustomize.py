"""Put on a server's PYTHONPATH by the ledger, and only then: traces every SQLite statement.

Python imports `sitecustomize` at start-up, before any application code, so every sqlite3
connection the server opens (sqlite3, aiosqlite, SQLAlchemy and Django alike) is traced.
"""

import os

if os.environ.get("FRAMEMATRIX_SQL_TRACE"):
    from framematrix.measure.sqlite_trace import install

    install(os.environ["FRAMEMATRIX_SQL_TRACE"])
