"""A sample "user project": an aiohttp webhook handler and its tests, written only against the
harness's public plugin API, plus a deliberately broken twin the harness must catch."""
