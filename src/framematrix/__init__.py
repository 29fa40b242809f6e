"""framematrix: Django vs FastAPI vs Flask, re-measured on your machine."""

__version__ = "0.1.0"
