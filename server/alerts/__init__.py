"""Price alerts: when a rule fires, how webhook targets are checked and payloads signed."""
