"""The offline decks in headless chromium (Debian's, never a downloaded one), opened from ``file://``.

The decks are built by ``make slides`` (``tools/build_slides.py``), which ``make test-slides`` runs first. Every
request that is not ``file://`` is logged and failed, so a deck that needs the network shows it.
"""

from __future__ import annotations

from chromium_support import browser  # noqa: F401  (a fixture)

