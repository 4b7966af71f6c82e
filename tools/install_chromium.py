"""Make sure Debian's chromium and a Japanese font are present for the slides and browser tests:
``python tools/install_chromium.py``.

What the browser machine needs, all from Debian's own mirrors (the only place a browser or a font ever comes from):

* ``chromium`` (``/usr/bin/chromium``), the browser the tests drive;
* ``fonts-noto-cjk`` (Noto Sans CJK JP), so the Japanese edition's decks and lessons draw Japanese glyphs, not boxes,
  in the screenshots (``artifacts/slides/ja/``, ``artifacts/browser/``).

Each one present: nothing to do (one line says so). Missing and we are root: ``apt-get update`` once, then
``apt-get install -y --no-install-recommends`` of what is missing. Missing and not root (or no apt-get): one line
says what to run; the browser tests then skip (no chromium) or show boxes for Japanese text (no font).

It never downloads a browser or a font any other way (no ``playwright install``, no prebuilt binaries, no web fonts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
#: Debian package -> how to tell it is installed
PACKAGES: dict[str, str] = {"chromium": str(CHROMIUM), "fonts-noto-cjk": "Noto Sans CJK JP"}


def _installed(package: str) -> bool:
    if package == "chromium":
        return CHROMIUM.exists()
    # a font: fontconfig knows it (fc-list comes with fontconfig, which chromium depends on), else dpkg does
    if shutil.which("fc-list"):
        found = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout
        if PACKAGES[package] in found:
            return True
    if shutil.which("dpkg-query"):
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        return status.stdout.strip() == "install ok installed"
    return False


def main() -> int:
    missing = [package for package in PACKAGES if not _installed(package)]
    for package in PACKAGES:
        if package not in missing:
            print(f"{package}: found ({PACKAGES[package]})")
    if not missing:
        return 0
    names = " ".join(missing)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"{names}: missing and this is not root: run `sudo apt-get install -y {names}` (without chromium the "
              "slides and browser tests skip; without fonts-noto-cjk Japanese text shows as boxes)")
        return 0
    if shutil.which("apt-get") is None:
        print(f"{names}: missing and apt-get is not available: install Debian's {names} (without chromium the "
              "slides and browser tests skip; without fonts-noto-cjk Japanese text shows as boxes)")
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"{names}: installing Debian's package(s) with apt-get", flush=True)
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            tail = result.stderr.strip().splitlines()[-1:] or ["no message"]
            print(f"install_chromium: `{' '.join(command)}` failed: {tail[0]}", file=sys.stderr)
            return result.returncode
    still = [package for package in missing if not _installed(package)]
    print(f"installed {names}" if not still else f"still missing: {' '.join(still)}")
    return 0 if not still else 1


if __name__ == "__main__":
    sys.exit(main())
