# Two commands for a fresh clone with only Python 3.11+ present (README.md):
#   make lab    set everything up, then open JupyterLab on the lessons (127.0.0.1, with its token)
#   make test   set everything up, then run every test (what CI runs, through .ci/run)
# The Japanese edition (notebooks/ja, 日本語版): `make lab-ja`; every target below covers both editions.
# Everything is installed into the repo: .venv/ (PyPI), node_modules/ (npm). Nothing is downloaded at run time.

PYTHON ?= python3
# Python caches what it compiles (__pycache__/, git-ignored) unless PYTHONDONTWRITEBYTECODE is set, as container
# images often set it: then every process compiled every module it imported afresh (a pytest worker, an engine, a
# kernel, a Jupyter server: ~2.5 s of CPU each, 30 s of `make unit`'s 90). Here the cache is written.
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST := $(BIN)/pytest -p no:cacheprovider
SANITIZE := --nbval-sanitize-with notebooks/sanitize.cfg
# uv (from PyPI, into the venv) installs in parallel: seconds where pip took over two minutes; pip is the fallback.
# constraints.txt: versions the repo's set-up avoids, and why (a dependency that slows every kernel's first figure).
INSTALL := $(PY) -m uv pip install --quiet --python $(PY) --constraint constraints.txt
PIP_INSTALL := $(PY) -m pip install --quiet --constraint constraints.txt
# Two pytest workers for the suites that compute about as much as they wait (2 cores).
WORKERS := -n 2
# Three for the integration suites: a good part of their time is waiting (leases expiring, compressed-time
# scale-outs, stopped processes, timers), which a third worker fills; a fourth made the real-time load tests (35
# requests a second for 11 s) miss their rate on a busy machine. worksteal: a worker that runs out takes tests from
# another's queue, so one long test near the end does not hold the suite. The unit suite too: its live demos and
# kernels wait on real seconds (measured 49 s with three, 54 s with two).
IO_WORKERS := -n 3 --dist worksteal

.PHONY: setup lab lab-ja dist bench-lessons test lint unit integration dynalite test-external nbval refresh-notebooks slides test-slides \
        test-browser test-hub bench bench-room soak node clean

setup: $(VENV)/.installed node

# The learner's set-up: only what the lessons need (the base dependencies: no test runner, linter or browser driver).
$(VENV)/.lab-installed: pyproject.toml setup.py constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "dynalab needs Python 3.11 or newer, found " + sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(INSTALL) -e . || $(PIP_INSTALL) -e .
	touch $@

# The developer's set-up: the learner's plus the test extras and the hub's (JupyterHub, for deploy/ and its test).
$(VENV)/.installed: $(VENV)/.lab-installed
	$(INSTALL) -e '.[test,hub]' || $(PIP_INSTALL) -e '.[test,hub]'
	touch $@

# npm tools (dynalite for the cross-check, reveal.js & co. for the offline slides). Without npm the tests that
# need them skip with one line; in CI npm is present.
node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the dynalite cross-check and the slides build will be skipped"; fi

# A learner's copy of the lessons, then JupyterLab on it (`dynalab lab`: 127.0.0.1 with its token, no news prompt or
# update check, a quiet terminal). The copy is dynalab-lessons/ (git-ignored): JupyterLab's autosave rewrites the
# copy, never the committed notebooks/ (which `make refresh-notebooks` re-executes); a second `make lab` updates the
# lessons you did not change and keeps the ones you did. Only lessons and data are copied (no sanitize.cfg).
# LESSONS=folder copies elsewhere; LAB_ARGS go to JupyterLab (e.g. LAB_ARGS="--port=8890 --no-browser").
LESSONS ?=
LAB_ARGS ?=
lab: $(VENV)/.lab-installed
	$(BIN)/dynalab lab $(LESSONS) $(LAB_ARGS)

# The Japanese edition, the same way: dynalab-lessons-ja/ (git-ignored), JupyterLab started with DYNALAB_LANG=ja and
# its own menus in Japanese (the ja_JP language pack, a base dependency; dynalab/jupyter_settings/ja).
lab-ja: $(VENV)/.lab-installed
	$(BIN)/dynalab lab --language ja $(LESSONS) $(LAB_ARGS)

# The release files: dist/dynalab-X.tar.gz (sdist) and dist/dynalab-X-py3-none-any.whl (the wheel, built from the
# sdist), metadata and README checked by `twine check --strict`. Until the first release is on PyPI, a learner installs
# the wheel: pip install dist/dynalab-*.whl. After it: twine upload dist/*.
dist: $(VENV)/.installed
	$(PY) tools/build_dist.py

# Each suite once: unit (no engine), integration on the embedded engine, the dynalite cross-check, the same
# integration tests on an engine started outside dynalab, the notebooks, the slides, the browser.
test: setup lint unit integration dynalite test-external nbval test-slides test-browser test-hub
	@echo "dynalab: every test passed"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# Unit tests: the folders that mirror dynalab/ (models, engine, fidelity, lessons, widgets) and the package checks;
# no engine is started.
UNIT_IGNORES := --ignore=tests/integration --ignore=tests/dynalite --ignore=tests/browser --ignore=tests/slides \
                --ignore=tests/hub
unit: $(VENV)/.installed
	$(PYTEST) tests $(UNIT_IGNORES) -q $(IO_WORKERS)

# Integration tests against the embedded engine (moto in a child process on 127.0.0.1).
integration: $(VENV)/.installed
	$(PYTEST) tests/integration -q $(IO_WORKERS)

# The capacity cross-check against dynalite (skips with one line where Node.js is missing).
dynalite: $(VENV)/.installed node
	$(PYTEST) tests/dynalite -q

# The same integration tests against an engine started outside dynalab, named by DYNALAB_ENDPOINT, except the
# claims about the embedded engine itself (marked embedded_only: its own process, exactness under stress on it).
# One outside engine per worker (--engines 3), as each worker has its own embedded engine: workers sharing one are
# kernels sharing one without DYNALAB_LEARNER, whose lesson tables (fixed names) collide.
test-external: $(VENV)/.installed
	$(PY) tools/with_external_engine.py --engines 3 $(PYTEST) tests/integration -q $(IO_WORKERS) -m "not embedded_only"

# Both editions (pytest recurses into notebooks/ja), four lessons at a time (a lesson's kernel and engine wait on
# each other and on its wall-time demos: with two, the cores were idle a third of the time). Strict translations: a string the Japanese lessons show without
# a Japanese entry in dynalab/i18n/ja/ raises instead of falling back to English (English mode is unaffected).
nbval: $(VENV)/.installed
	DYNALAB_I18N_STRICT=1 $(PYTEST) --nbval notebooks $(SANITIZE) -q -n 4 --dist loadfile

# Re-execute every lesson of both editions (or NB=notebooks/xx.ipynb, NB=notebooks/ja/xx.ipynb) and store fresh
# outputs, deliberately (strict translations too, unless DYNALAB_I18N_STRICT=0), with each widget's static snapshot
# in its output's metadata (what the slides draw it from).
refresh-notebooks: $(VENV)/.installed
	$(PY) tools/refresh_notebooks.py $(NB)

# ---- workshop delivery -------------------------------------------------------------------------------------
# Offline reveal.js decks of every lesson in build/slides/, the Japanese edition's in build/slides/ja/ (copy the
# folder anywhere; open index.html), drawn from the committed notebooks' stored outputs: nothing is executed.
slides: setup
	$(PY) tools/build_slides.py

# The decks of both editions in headless chromium from file:// (no request may leave the machine); screenshots in
# artifacts/slides/ and artifacts/slides/ja/. install_chromium.py also installs Debian's fonts-noto-cjk (Japanese).
test-slides: setup
	$(PY) tools/build_slides.py --skip-without-npm
	$(PY) tools/install_chromium.py
	$(PYTEST) tests/slides -q $(WORKERS)

# The room on a real JupyterHub (deploy/, configurable-http-proxy from npm): three users spawned through the hub's
# REST API run lesson 0 and its self-check; the board reads three learners. Once in the whole run (about a minute).
test-hub: setup
	$(PYTEST) tests/hub -q -m hub

# Every lesson in JupyterLab in headless chromium, and Japanese lessons 00, 03 and 04: Run All, move the main widget;
# screenshots in artifacts/browser/. Lessons run concurrently (DYNALAB_BROWSER_AHEAD=3 run while one is checked).
test-browser: setup
	$(PY) tools/install_chromium.py
	$(PYTEST) tests/browser -q

# Speed figures, one a line (whole course under nbval, engine start, each lesson's Run All as the learner clicks it,
# wall-time demos included, each widget's redraw, ...).
bench: setup
	$(PY) benchmarks/run.py

# Only each lesson's Run All as the learner clicks it (both editions) and its widgets' redraw; ONLY="05 ja/05" for some.
bench-lessons: setup
	$(PY) benchmarks/run.py --lessons $(ONLY)

# A room on the hub (deploy/): 8 learners spawned at once run lesson 0 and answer; the board at 30 learners.
bench-room: setup
	$(PY) benchmarks/bench_room.py

# A compressed workshop (projector, board, event source mapping, load) for 10 minutes: engine memory stays flat.
soak: setup
	$(PY) benchmarks/bench_soak.py

clean:
	rm -rf build artifacts dist
