"""The release files and the wheel, used like a learner without a clone would: built from the sources as ``make dist``
builds them (``tools/build_dist.py``: the sdist, the wheel from the sdist, ``twine check --strict``), the wheel
installed into a fresh virtual environment and used from an empty folder. The metadata is PyPI's (classifiers,
license, Python versions, the README) and the requirements carry the repo's pins (jsonschema<4.25). The sample data
loads, `dynalab lessons DIR` copies every lesson (a second run keeps an edited lesson as it was), `dynalab lessons
--language ja DIR` the Japanese edition, `dynalab lab --help` answers.

Offline and fast: the files are built with this environment's setuptools (``--no-isolation``), the wheel installed with
``--no-deps``, and the fresh environment borrows this one's dependencies through a ``.pth`` line (which adds a folder
to ``sys.path`` but runs none of its ``.pth`` files, so this environment's editable dynalab stays out of sight).
"""

from __future__ import annotations

import email
import json
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
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
def built(tmp_path_factory) -> tuple[Path, Path, str]:
    """(the sdist, the wheel, what `make dist` printed), built from a copy of the sources as `make dist` builds."""
    work = tmp_path_factory.mktemp("dist")
    sources = work / "sources"
    shutil.copytree(ROOT, sources, ignore=SKIP)
    said = _run(sys.executable, ROOT / "tools" / "build_dist.py", "--source", sources, "--outdir", work / "dist",
                cwd=work)
    return next((work / "dist").glob("dynalab-*.tar.gz")), next((work / "dist").glob("dynalab-*.whl")), said


@pytest.fixture(scope="module")
def installed(tmp_path_factory, built) -> tuple[Path, Path]:
    """(the fresh environment's bin folder, the wheel)."""
    work = tmp_path_factory.mktemp("wheel")
    _, wheel, _ = built
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
    assert "dynalab/jupyter_settings/ja/overrides.json" in inside  # the Japanese edition's JupyterLab menus
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


def test_make_dist_builds_an_sdist_and_a_wheel_twine_passes(built):
    sdist, wheel, said = built
    assert str(sdist) in said and str(wheel) in said  # both built, and twine check --strict passed (else _run fails)
    assert "tools/build_dist.py" in (ROOT / "Makefile").read_text().split("\ndist:", 1)[1].split("\n\n", 1)[0]
    names = tarfile.open(sdist).getnames()
    top = names[0].split("/", 1)[0]
    for needed in ("setup.py", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "notebooks/00_start_here.ipynb",
                   "notebooks/ja/00_start_here.ipynb", "data/votes.csv", "dynalab/__init__.py"):
        assert f"{top}/{needed}" in names, needed
    assert not any(name.startswith(f"{top}/tests/") for name in names)  # the tests stay in the repository


def test_the_wheel_metadata_is_ready_for_pypi_and_carries_the_pins(built):
    _, wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(archive.read(name))
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert metadata["Requires-Python"] == project["requires-python"] == ">=3.11"
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert "pip install dynalab" in metadata.get_payload()  # the README is the project's page
    classifiers = metadata.get_all("Classifier")
    assert {"Framework :: Jupyter :: JupyterLab", "Programming Language :: Python :: 3.11"} <= set(classifiers)
    assert all(url.split(", ", 1)[1].startswith("https://") for url in metadata.get_all("Project-URL"))
    requires = {r.split(";")[0].replace(" ", "") for r in metadata.get_all("Requires-Dist")}
    # the pin constraints.txt gives the repo's set-up, honoured by `pip install dynalab` too
    pinned = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if line and line[0].isalpha()]
    for pin in pinned:
        name, bound = pin.split("<", 1)
        assert any(r.startswith(name) and f"<{bound}" in r for r in requires), (pin, requires)
    # moto with the services the engine serves, not its [server] extra (cfn-lint, sympy, networkx, ...: ~180 MB)
    assert not any(r.startswith("moto[") and "server" in r for r in requires), requires
