"""The `fastapi-as-published` contestant: the article's FastAPI pattern, grown to the contract."""
