"""The Litestar contestant: controllers, msgspec `Struct`s for what comes in, SQLAlchemy DTOs for
what goes out, the SQLAlchemy plugin's async sessions injected as a dependency."""
