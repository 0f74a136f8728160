"""ARQ job functions; each takes the worker context first."""
