"""State: the seeded world and the resources the mock holds."""
