"""The Strawberry GraphQL schema and everything it needs per request."""
