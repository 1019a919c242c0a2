"""The mock Instaview API: one module per resource, plus auth, envelope and the control API."""
