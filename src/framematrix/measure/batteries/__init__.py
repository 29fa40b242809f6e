"""Batteries: what each framework serves with no extra code or package (an OpenAPI schema,
interactive docs, CRUD, pagination, filtering, permissions, an admin, authentication, a test
client), probed on minimal apps written for it (`apps_django`, `apps_other`), not the
contestants.

Each battery of each framework is probed (`probes`) on its minimal app bare: answered, it is
served by default; else with the documented lines that switch it on (`Framework.switches`):
answered, it is built in, and those lines are counted; else, or with no such lines in the
framework's own package, it is absent, with what a project uses instead. A switch that imports
a distribution the framework does not install says so (`needs`). The Django family runs in one
fresh interpreter (Django's settings are process-wide), the others in another.
"""
