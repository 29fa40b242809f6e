"""The article's Django code, grown to the whole contract without changing its pattern.

Kept from the article, file by file: its models (`on_delete=models.CASCADE`, so Django deletes an
author's posts itself before the database's ON DELETE CASCADE could), `ModelSerializer`s with
the nested read-only author, a `ModelViewSet` per resource (`select_related('author').all()`
for posts), and a `DefaultRouter`, whose API root (`/`) and format-suffix routes
(`/posts.json`) answer paths the contract calls unknown. An authors viewset joins the posts one
on the same router, in the same style.
Changed so the contract holds: the models sit on the neutral tables (`managed = False`,
ordered by id), an email is the contract's pattern, not Django's EmailValidator, content may
be empty; the idiomatic contestant's strict serializer base and `author_id` field, its viewset
base (decimal ids, `Location`, 400 on an empty body) and `?author_id=` filter, its exception
handler and error views and its project settings, imported as they are; no trailing slashes
and a `/health`. Compare it with the idiomatic `django` contestant.
"""
