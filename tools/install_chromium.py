"""Make sure Debian's chromium is present for the slides and browser tests: ``python tools/install_chromium.py``.

* ``/usr/bin/chromium`` exists: nothing to do (one line says so).
* It is missing and we are root: ``apt-get update`` once, then ``apt-get install -y chromium`` (Debian's package,
  from Debian's own mirrors: the only place a browser ever comes from here).
* It is missing and we are not root: one line says what to run; the browser tests then skip with that reason.

It never downloads a browser any other way (no ``playwright install``, no prebuilt binaries).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def main() -> int:
    if CHROMIUM.exists():
        print(f"chromium: found {CHROMIUM}")
        return 0
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"chromium: {CHROMIUM} is missing and this is not root: run `sudo apt-get install -y chromium` "
              "(the slides and browser tests skip until then)")
        return 0
    if shutil.which("apt-get") is None:
        print(f"chromium: {CHROMIUM} is missing and apt-get is not available: install Debian's `chromium` "
              "package (the slides and browser tests skip until then)")
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("chromium: installing Debian's chromium with apt-get", flush=True)
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            tail = result.stderr.strip().splitlines()[-1:] or ["no message"]
            print(f"chromium: `{' '.join(command)}` failed: {tail[0]}", file=sys.stderr)
            return result.returncode
    print(f"chromium: installed {CHROMIUM}" if CHROMIUM.exists() else f"chromium: {CHROMIUM} still missing")
    return 0 if CHROMIUM.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
