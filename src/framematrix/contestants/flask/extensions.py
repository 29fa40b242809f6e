"""Extension objects created once and bound to the app in the factory (Flask's `init_app` idiom)."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """SQLAlchemy 2 declarative base, handed to Flask-SQLAlchemy as its model class."""


# Keep attributes after commit so a write's response does not re-read the rows it just wrote.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
