"""The wheel, used like a learner without a clone would: built from the sources, installed into a fresh virtual
environment, used from an empty folder. The sample data loads, `dynalab lessons DIR` copies every lesson (a second
run keeps an edited lesson as it was), `dynalab lessons --language ja DIR` the Japanese edition, `dynalab lab --help`
answers.

Offline and fast: the wheel is built with this environment's setuptools (``--no-build-isolation``), installed with
``--no-deps``, and the fresh environment borrows this one's dependencies through a ``.pth`` line (which adds a folder
to ``sys.path`` but runs none of its ``.pth`` files, so this environment's editable dynalab stays out of sight).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "artifacts", "*.egg-info", "__pycache__",
                              ".ipynb_checkpoints", ".hypothesis", ".ruff_cache", ".import_linter_cache", "dist")


def _run(*command: str | Path, cwd: Path, timeout: float = 300) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the fresh environment's bin folder, the wheel)."""
    work = tmp_path_factory.mktemp("wheel")
    sources = work / "sources"
    shutil.copytree(ROOT, sources, ignore=SKIP)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work / "dist",
         sources, cwd=work)
    wheel = next((work / "dist").glob("dynalab-*.whl"))
    environment = work / "venv"
    venv.create(environment, with_pip=False)
    bin_dir = environment / "bin"
    _run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--no-deps", "--no-index", "-q",
         wheel, cwd=work)
    fresh_site = Path(_run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                           cwd=work).strip())
    (fresh_site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return bin_dir, wheel


def test_the_wheel_carries_every_lesson_and_data_file_found_by_pattern(installed):
    _, wheel = installed
    inside = set(zipfile.ZipFile(wheel).namelist())
    lessons = [p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    data = [p for p in (ROOT / "data").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts]
    for path in lessons + data:
        assert f"dynalab/course/{path.relative_to(ROOT).as_posix()}" in inside, path
    assert "dynalab/jupyter_settings/overrides.json" in inside
    assert not any(name.startswith("dynalab/course/data/make_") for name in inside)  # the scripts stay in the repo


def test_from_an_empty_folder_the_installed_package_has_its_course(installed, tmp_path):
    bin_dir, _ = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    found = json.loads(_run(bin_dir / "python", "-c", (
        "import json, dynalab; from dynalab.lessons.sample_data import course_root; "
        "print(json.dumps({'module': dynalab.__file__, 'root': str(course_root()), "
        "'votes': len(dynalab.sample_votes()), 'songs': len(dynalab.sample_songs()), "
        "'minutes': dynalab.load_workload('step').minutes}))"), cwd=empty))
    assert found["module"].startswith(str(bin_dir.parent)), found  # the wheel's dynalab, not the clone's
    assert found["root"].startswith(str(bin_dir.parent)) and found["root"].endswith("dynalab/course")
    assert found["votes"] == 2000 and found["songs"] > 0 and found["minutes"] > 0

    first = _run(bin_dir / "dynalab", "lessons", "mine", cwd=empty)
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (empty / "mine").glob("*.ipynb")) == lessons
    assert (empty / "mine" / "data" / "votes.csv").is_file()
    assert "0 kept" in first
    edited = empty / "mine" / lessons[0]
    edited.write_text("my notes", encoding="utf-8")
    second = _run(bin_dir / "dynalab", "lessons", "mine", cwd=empty)
    assert edited.read_text(encoding="utf-8") == "my notes"
    assert f"kept (you changed it; delete it to get the course's copy): {lessons[0]}" in second

    assert "127.0.0.1" in _run(bin_dir / "dynalab", "lab", "--help", cwd=empty)
    assert "serve" in _run(bin_dir / "python", "-m", "dynalab", "--help", cwd=empty)


def test_the_installed_package_copies_the_japanese_edition(installed, tmp_path):
    bin_dir, wheel = installed
    japanese = sorted(p.name for p in (ROOT / "notebooks" / "ja").glob("[0-9]*.ipynb"))
    assert japanese, "notebooks/ja holds no lesson"
    inside = set(zipfile.ZipFile(wheel).namelist())
    assert all(f"dynalab/course/notebooks/ja/{name}" in inside for name in japanese)
    said = _run(bin_dir / "dynalab", "lessons", "--language", "ja", cwd=tmp_path)
    folder = tmp_path / "dynalab-lessons-ja"  # the Japanese edition's default folder
    assert sorted(p.name for p in folder.glob("*.ipynb")) == japanese
    assert not (folder / "ja").exists()  # the Japanese lessons at the top, no English copy beside them
    for name in japanese:
        cells = json.loads((folder / name).read_text(encoding="utf-8"))["cells"]
        assert any('set_language("ja")' in "".join(c["source"]) for c in cells if c["cell_type"] == "code"), name
    assert (folder / "data" / "votes.csv").is_file()
    assert f"コピー {len(japanese) + sum(p.is_file() for p in (folder / 'data').rglob('*'))} 件" in said, said
    assert "トークン" in _run(bin_dir / "dynalab", "lab", "--language", "ja", "--help", cwd=tmp_path)
