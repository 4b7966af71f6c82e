"""Debian's chromium, as the slides and browser tests launch it (never a downloaded browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As root chromium needs --no-sandbox; the background-networking flags stop it calling Google's hosts, which this
# machine's closed network refuses. Every request that would leave the machine fails at once: its proxy is a closed
# port on loopback (chromium never sends 127.0.0.1/localhost through a proxy; file:// never uses one). The tests log
# such requests themselves and fail on them.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--proxy-server=127.0.0.1:9"]


@pytest.fixture(scope="module")  # module, not session: one Playwright at a time when both test folders run
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run `python tools/install_chromium.py` (as root) or "
                    "`apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, empty profile (its own --user-data-dir), removed on close.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
