"""All SQL lives here: async functions taking a session and returning rows or dataclasses."""
