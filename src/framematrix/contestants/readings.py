"""The `readings` table as SQLAlchemy 2 maps it, for the realtime sides of FastAPI and Litestar.

Both store a device's readings through SQLAlchemy, so the mapped class is SQLAlchemy's, not
either framework's: they share it as they share the fan-out (`broadcast.py`). framematrix owns
the schema (`framematrix.db.schema`); this class only describes the table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from framematrix.contestants.fastapi.models import UTCDateTime


class Base(DeclarativeBase):
    pass


class Reading(Base):
    __tablename__ = "readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    sensor: Mapped[str] = mapped_column(String(50))
    value: Mapped[float]
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
