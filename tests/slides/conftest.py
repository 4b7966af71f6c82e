"""The offline decks in headless chromium (Debian's, never a downloaded one), opened from ``file://``.

The decks are built by ``make slides`` (``tools/build_slides.py``), which ``make test-slides`` runs first. Every
request that is not ``file://`` is logged and failed, so a deck that needs the network shows it.
"""

from __future__ import annotations

import pytest
from slides_support import CHROMIUM, CHROMIUM_FLAGS


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
