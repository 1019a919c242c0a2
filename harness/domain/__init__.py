"""The vendor's resources, their enums and the rules that govern them. No HTTP in here."""
