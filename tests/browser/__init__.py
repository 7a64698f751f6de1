"""Real-browser tests: Chromium driven through Playwright against `factcheck serve` (gunicorn)."""
