"""The article's Flask code as published: one module, lazy relationship, `to_dict()` output.

It answers the whole contract, but reads `/posts` the article's way, so each post's author is
fetched by a query of its own (N+1). Compare it with the idiomatic `flask` contestant.
"""
