"""The neutral database: one schema and one seed for every contestant."""

from framematrix.db.url import DatabaseURL

__all__ = ["DatabaseURL"]
