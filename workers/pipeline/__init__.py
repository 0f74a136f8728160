"""Ingest pipeline: validate -> normalize -> classify -> dedupe -> persist -> publish."""
