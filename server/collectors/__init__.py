"""Collectors' accounts and credentials, apart from SQL (server.store) and GraphQL.

Passwords are argon2 hashes; access tokens are short-lived signed JWTs checked without a
database round trip; refresh tokens and API keys are random secrets stored as SHA-256
hashes (they carry 256 bits of entropy, so a slow hash would add cost and no safety).
"""
