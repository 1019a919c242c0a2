"""The local webhook receiver: captures, verification, schema checks, waiting."""
