"""The `fastapi` contestant: FastAPI + Pydantic 2 + SQLAlchemy 2 async sessions.

Laid out as FastAPI's "Bigger Applications" guide does: `main.py` builds the app, `routers/`
holds one APIRouter per resource, `database.py` the engine and the session dependency.
"""

WEB_SIDE = ("pages", "passwords", "security")
"""Modules of the server-rendered web side (audit/WEB_CONTRACT.md), counted apart from the API
by `framematrix.codesize` so the API's size compares with the article's one endpoint."""
