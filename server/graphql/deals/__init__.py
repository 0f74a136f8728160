"""Deals (asks far under the recent sold median) and seller bundles, in the schema."""
