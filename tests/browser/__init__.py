"""Browser tests: the built site in headless chromium (see conftest.py)."""
