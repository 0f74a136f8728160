"""The collectors' part of the API: accounts, API keys, watchlists, portfolios and imports.

`schema` (the root types to merge), `errors` (the one error shape), `access` (who may do
what), `types`, then one module per group of mutations, the queries and the subscription.
"""
