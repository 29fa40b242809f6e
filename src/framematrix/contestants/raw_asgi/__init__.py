"""The ASGI baseline (`raw-asgi`): no framework, aiosqlite or asyncpg used directly."""
