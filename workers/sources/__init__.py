"""Source adapters: an I/O fetch plus a pure parse per marketplace or catalog."""
