"""The release files (``make dist``): the source distribution and the wheel in ``dist/``, checked by twine.

``python -m build`` makes the sdist first, then the wheel **from the sdist** (so a lesson or data file the sdist
forgot would be missing from the wheel, and ``tests/test_wheel.py``, which builds through this script, would see it);
``--no-isolation`` builds with the set-up's own setuptools, offline. ``twine check --strict`` then checks the metadata
and the README as PyPI renders them. Upload, after the first release, with ``twine upload dist/*``.

    python tools/build_dist.py [--source DIR] [--outdir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(source: Path, outdir: Path) -> list[Path]:
    """Build the sdist and the wheel of ``source`` into a fresh ``outdir``, twine-check them; return the two files."""
    if outdir.exists():
        shutil.rmtree(outdir)
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(source)],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"build_dist: the build failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    built = sorted(outdir.glob("dynalab-*.tar.gz")) + sorted(outdir.glob("dynalab-*.whl"))
    if len(built) != 2:
        raise SystemExit(f"build_dist: expected one sdist and one wheel in {outdir}, found {[p.name for p in built]}")
    twine = [sys.executable, "-m", "twine", "check", "--strict", *map(str, built)]
    subprocess.run(twine, check=True)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="the source tree (default: this clone)")
    parser.add_argument("--outdir", type=Path, default=ROOT / "dist", help="where the files go (default: dist/)")
    args = parser.parse_args(argv)
    for path in build(args.source.resolve(), args.outdir.resolve()):
        print(f"{path}  {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
