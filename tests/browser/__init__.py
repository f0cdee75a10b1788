"""Browser tests (Playwright + Debian chromium, axe-core, the Nu Html Checker); see conftest.py."""
