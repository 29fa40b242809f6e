"""The Flask contestant: app factory, one blueprint, Flask-SQLAlchemy and marshmallow.

Written the way Flask's tutorial and the Flask-SQLAlchemy and marshmallow docs teach it.
"""
