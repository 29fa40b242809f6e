"""The WSGI baseline (`raw-wsgi`): no framework, sqlite3 or psycopg used directly."""
