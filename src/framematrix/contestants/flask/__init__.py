"""The Flask contestant: app factory, one blueprint, Flask-SQLAlchemy and marshmallow.

Written the way Flask's tutorial and the Flask-SQLAlchemy and marshmallow docs teach it.
"""

WEB_SIDE = ("pages", "passwords", "security")
"""Modules of the server-rendered web side (audit/WEB_CONTRACT.md), counted apart from the API
by `framematrix.codesize` so the API's size compares with the article's one endpoint."""
