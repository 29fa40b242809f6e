"""The application factory, as Flask's tutorial teaches: config, extensions, blueprints.

FRAMEMATRIX_PROFILE `hardened` adds what security.py lists; `default` is Flask as it comes.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from framematrix.contestants.flask import errors, images, pages, profiles, realtime, upstream, work
from framematrix.contestants.flask.converters import IdConverter
from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.security import harden
from framematrix.contestants.flask.settings import Settings, profile_from_env
from framematrix.contestants.flask.views import bp
from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL


def create_app(db_url: DatabaseURL | None = None) -> Flask:
    """Build the app for `db_url`, by default the one in FRAMEMATRIX_DB_URL."""
    db_url = db_url or DatabaseURL.from_env()
    app = Flask(__name__)
    app.config.from_object(Settings(db_url))
    app.config.from_prefixed_env()
    db.init_app(app)
    if db_url.is_sqlite:
        with app.app_context():
            event.listen(db.engine, "connect", set_sqlite_pragmas)
    errors.register(app)
    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(bp)
    app.register_blueprint(pages.bp)
    upstream.init_app(app)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(images.bp)
    app.register_blueprint(work.bp)
    realtime.sock.init_app(app)
    app.register_blueprint(realtime.bp)
    if profile_from_env() == "hardened":
        harden(app, bp)
    return app
