"""The `fastapi` contestant: FastAPI + Pydantic 2 + SQLAlchemy 2 async sessions.

Laid out as FastAPI's "Bigger Applications" guide does: `main.py` builds the app, `routers/`
holds one APIRouter per resource, `database.py` the engine and the session dependency.
"""
