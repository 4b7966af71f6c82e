"""The two dependency lists (pyproject.toml for pip, environment.yml for conda) must stay equal."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower()


def _environment_yml() -> tuple[set[str], set[str], list[str]]:
    conda, pip, lines = set(), set(), (ROOT / "environment.yml").read_text().splitlines()
    in_dependencies = in_pip = False
    for line in lines:
        stripped = line.strip()
        if stripped == "dependencies:":
            in_dependencies = True
        elif not in_dependencies:
            continue
        elif stripped.startswith("- pip:"):
            in_pip = True
        elif stripped.startswith("- ") and not stripped.startswith("- pip"):
            (pip if in_pip and line.startswith("      ") else conda).add(stripped[2:])
    return conda, pip, lines


#: what environment.yml adds to pyproject's dependencies, from its test extra: the lessons' own checks (nbval), so a
#: conda user has every package the course's design names (jupyterlab, ipywidgets, boto3, plotly, nbval)
CONDA_CHECKS = {"nbval"}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r for r in project["dependencies"]}
    tests = {_name(r): r for r in project["optional-dependencies"]["test"]}
    assert CONDA_CHECKS <= set(tests), CONDA_CHECKS - set(tests)
    wanted.update({name: tests[name] for name in CONDA_CHECKS})
    conda, pip, _ = _environment_yml()
    listed = {_name(r) for r in conda | pip} - {"python", "pip"}
    assert listed == set(wanted), (
        f"only in pyproject: {set(wanted) - listed}; only in environment.yml: {listed - set(wanted)}"
    )
    # and with the same lower bounds
    for requirement in conda | pip:
        name = _name(requirement)
        if name in wanted:
            bound = re.search(r">=\s*([\w.]+)", requirement)
            assert bound and f">={bound.group(1)}" in wanted[name].replace(" ", ""), requirement


def test_environment_yml_carries_what_the_course_names():
    conda, pip, _ = _environment_yml()
    listed = {_name(r) for r in conda | pip}
    assert {"jupyterlab", "ipywidgets", "boto3", "plotly", "nbval"} <= listed, listed


def test_environment_yml_asks_for_python_3_11_or_newer():
    conda, _, _ = _environment_yml()
    assert "python>=3.11" in conda
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11"


def test_every_public_name_resolves():
    import dynalab

    for name in dynalab.__all__:
        assert getattr(dynalab, name) is not None, name


def test_the_learners_set_up_installs_no_test_tools():
    # `make lab` installs the base dependencies only: no test runner, linter, notebook checker or browser driver
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = {_name(r) for r in project["dependencies"]}
    assert not base & {"pytest", "nbval", "ruff", "hypothesis", "playwright", "import-linter", "nbclient",
                       "jupyterhub"}, base
    makefile = (ROOT / "Makefile").read_text()
    lab_recipe = makefile.split("$(VENV)/.lab-installed:", 1)[1].split("\n\n", 1)[0]
    assert "$(PIP_INSTALL) -e .\n" in lab_recipe and "[test]" not in lab_recipe
    assert "PIP_INSTALL := $(PY) -m pip install --quiet --constraint constraints.txt" in makefile
    lab_target = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert ".lab-installed" in lab_target and "setup" not in lab_target.split("\n", 1)[0]
    assert "dynalab lab $(LESSONS)" in lab_target and "--no-copy" not in lab_target  # a learner's copy


def test_the_repos_set_up_keeps_the_slow_importing_iri_parser_out():
    """constraints.txt keeps jsonschema below 4.25, whose format extra brings rfc3987-syntax: it builds a parser at
    import (~0.8 s), which every kernel paid at its first plotly figure (plotly -> nbformat -> jsonschema)."""
    import importlib.metadata
    import importlib.util

    assert "jsonschema<4.25" in (ROOT / "constraints.txt").read_text().splitlines()
    assert "--constraint constraints.txt" in (ROOT / "Makefile").read_text().split("INSTALL :=", 1)[1].split("\n")[0]
    assert importlib.util.find_spec("rfc3987_syntax") is None, (
        "rfc3987-syntax is installed (a set-up from before constraints.txt): `.venv/bin/python -m uv pip uninstall "
        "rfc3987-syntax`, or remove .venv and run `make setup`")
    assert tuple(int(part) for part in importlib.metadata.version("jsonschema").split(".")[:2]) < (4, 25)


def _shell_blocks(text: str) -> list[str]:
    return [block.split("\n", 1)[1] for block in text.split("```")[1::2] if block.startswith("sh\n")]


def test_the_readme_leads_with_what_works_on_a_fresh_machine_today():
    """dynalab is not on PyPI before its first release: the README's first commands (English and Japanese) are the
    clone's, `pip install dynalab` is only ever offered as what works after that release, beside the wheel `make dist`
    builds (issue 29: the README's first command failed)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    japanese = readme.split("## 日本語版", 1)[1].split("\n## ", 1)[0]
    english = readme.replace(japanese, "")
    assert _shell_blocks(english)[0].splitlines()[0].startswith("make lab ")
    assert _shell_blocks(japanese)[0].splitlines()[0].startswith("make lab-ja ")
    for section, after_the_release in ((english, "after the first release"), (japanese, "最初のリリース")):
        wheel_block = next(block for block in _shell_blocks(section) if "pip install" in block)
        assert wheel_block.startswith("pip install dynalab-0.1.0-py3-none-any.whl"), wheel_block
        for line in section.splitlines():
            if re.search(r"pip install dynalab(?![-\w.])", line):
                assert after_the_release in line, line
        assert "make dist" in section
    assert "\ndist:" in (ROOT / "Makefile").read_text()
