"""Every lesson in JupyterLab, in headless chromium: open it, Run All, move its main widget, check what it shows.

The main widget is the element with CSS class ``dynalab-main-control`` (``dynalab.widgets.MAIN_CONTROL``); what
it drives is ``dynalab-main-readout``. The test moves the control as a learner would (slider: ArrowRight on its
handle; dropdown: the next option; toggle buttons: the next one; button: a click) and compares the readout with
the value computed from dynalab's model here, in the test process (``expectations.py``), never typed.

Every lesson's self-check form is driven too: the first question's answer, computed by the question's own model
function here, is typed in and the verdict the page shows must be the one ``Question.check`` gives.
A screenshot per lesson goes to ``artifacts/browser/``.

No visible widget text is clipped (``_CLIPPED``): a label, a checkbox's or toggle's or button's text, a slider's
readout is as wide as its box (``scrollWidth <= clientWidth``), and a dropdown's box holds its longest option. A
Japanese label is wider than its English one; a label cut to "ターゲット…" fails here.

The Japanese edition (``notebooks/ja/``): lessons 00, 03 and 04 (``browser_support.JAPANESE_LESSONS``;
``DYNALAB_BROWSER_JA=all`` for every one) run the same way in the same JupyterLab, with dynalab in Japanese in this
process too: the self-check verdict and each main readout must show Japanese, and agree with the models (see
``expectations.py``). Their screenshots are ``artifacts/browser/ja-NN_name.png``, drawn with the Japanese system font
(Debian's fonts-noto-cjk, which ``tools/install_chromium.py`` installs).

Speed: a lesson mostly waits on its kernel, so lessons run concurrently: each is a page of one JupyterLab, in a
browser context of its own (JupyterLab negotiates window names in the origin's storage), that presses Run All by
itself as soon as the lesson and its kernel are there, and ``DYNALAB_BROWSER_AHEAD`` lessons (default 3)
run while the test checks the one before them.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import itertools
import os
import threading
import urllib.request

import nbformat
import pytest
from browser_support import ARTIFACTS, browser_lessons, japanese_browser_lessons, language_of, lessons_dir
from expectations import EXPECTATIONS, Move, english, has_japanese, same_numbers
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

MAIN_CONTROL = ".dynalab-main-control"
MAIN_READOUT = ".dynalab-main-readout"

# Run All as a page script (``page.add_init_script``): as soon as JupyterLab shows the lesson with its kernel it
# presses Run All by itself, so a lesson opens and runs while the test checks another one (or asks nothing of
# Python meanwhile). The outcome lands in ``window.__dynalabRun``: {finished, result, dialog}. A dialog JupyterLab
# opens instead of the lesson (a missing kernelspec) ends it at once.
_AUTO_RUN_ALL = """(() => {
    if (window.top !== window) return;
    const deadline = Date.now() + %(open_ms)d;
    const runAll = %(run_all)s;
    const opened = () => {
        const app = window.jupyterapp;
        const panel = app && app.shell && app.shell.currentWidget;
        return !!(panel && panel.sessionContext && panel.sessionContext.session
                  && panel.sessionContext.session.kernel && panel.content && panel.content.widgets.length);
    };
    const start = () => {
        const dialog = document.querySelector('.jp-Dialog');
        if (dialog) {
            window.__dynalabRun = {finished: true, dialog: dialog.innerText.trim().replace(/\\s+/g, ' ')};
        } else if (opened()) {
            window.__dynalabRun = {finished: false};
            runAll().then(
                (result) => { window.__dynalabRun = {finished: true, result: result}; },
                (error) => { window.__dynalabRun = {finished: true,
                                                    result: {done: false, errors: [String(error)]}}; });
        } else if (Date.now() > deadline) {
            window.__dynalabRun = {finished: true, result: {done: false,
                errors: ['JupyterLab did not open the lesson with its kernel within %(open_s)d s']}};
        } else {
            setTimeout(start, 100);
        }
    };
    document.addEventListener('DOMContentLoaded', start);
})()"""

_RUN_ALL = """async () => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    const done = await app.commands.execute('notebook:run-all-cells');
    const errors = [];
    for (const cell of panel.content.widgets) {
        if (cell.model.type !== 'code') continue;
        const outputs = cell.model.outputs;
        for (let i = 0; i < outputs.length; i++) {
            const output = outputs.get(i);
            if (output.type === 'error') {
                const data = output.toJSON();
                errors.push(`${data.ename}: ${data.evalue}`);
            }
        }
    }
    return {done, errors, kernel: panel.sessionContext.session.kernel.name};
}"""

#: how long JupyterLab may take to show a lesson with its kernel (ms)
_OPEN_MS = 60_000
_PAGES = itertools.count()


# Every widget text a learner sees that the box it sits in cuts off (an ellipsis, or text hidden past the edge).
_CLIPPED = """() => {
    const found = [];
    const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const context = document.createElement('canvas').getContext('2d');
    const width = (el, text) => {
        const style = getComputedStyle(el);
        context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return context.measureText(text).width;
    };
    const boxes = '.widget-label, .widget-label-basic span, .widget-toggle-button, .widget-button, .widget-readout';
    for (const el of document.querySelectorAll(`.jp-Notebook .jupyter-widgets :is(${boxes})`)) {
        const text = el.innerText.trim();
        if (text && shown(el) && el.scrollWidth > el.clientWidth + 1) {
            const kind = el.className.split(' ')[0] || el.tagName.toLowerCase();
            found.push(`${kind} ${JSON.stringify(text)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
        }
    }
    for (const select of document.querySelectorAll('.jp-Notebook .widget-dropdown select')) {
        if (!shown(select)) continue;
        const style = getComputedStyle(select);
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        for (const option of select.options) {
            const need = width(select, option.text);
            if (need > room + 1) {
                found.push(`option ${JSON.stringify(option.text)} (${Math.ceil(need)} px in ${Math.floor(room)} px)`);
            }
        }
    }
    return found;
}"""


def _quietly(call, *args) -> None:
    with contextlib.suppress(Exception):  # best effort: the server stops every kernel at the end anyway
        call(*args, timeout=30).close()


def _text(locator) -> str:
    return " ".join(locator.inner_text().split())


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


class LessonRun:
    """One lesson opened in a page of its own, which presses Run All by itself once the lesson and its kernel are
    there (``_AUTO_RUN_ALL``); ``finish()`` waits for it. Opening does not wait: several lessons run at once."""

    def __init__(self, browser, jupyter_lab, notebook) -> None:
        self.server_url = jupyter_lab.url
        self.notebook = notebook
        self.outside: list[str] = []
        self.errors: list[str] = []
        # A browser context of its own: JupyterLab's window resolver negotiates window names through the origin's
        # localStorage, and pages opening at once in one context raced there ('Window name candidate "null" already
        # exists', seen once in a whole run).
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        # Every request that is not to the test server is logged here (and fails: chromium_support's dead proxy).
        self.page.on("request", lambda request: self._request(request.url, jupyter_lab.url))
        self.page.set_default_timeout(30_000)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.add_init_script(_AUTO_RUN_ALL % {"run_all": _RUN_ALL, "open_ms": _OPEN_MS,
                                                   "open_s": _OPEN_MS // 1000})
        # A workspace of its own: JupyterLab pages open at once in one browser must not share one (its window
        # resolver refuses a second window on the same workspace).
        workspace = f"{_name(notebook)}-{next(_PAGES)}"
        self.page.goto(f"{jupyter_lab.url}/lab/workspaces/{workspace}/tree/"
                       f"{notebook.relative_to(lessons_dir()).as_posix()}?reset", wait_until="commit")

    def _request(self, url: str, server_url: str) -> None:
        if not url.startswith((server_url, "data:", "blob:")):
            self.outside.append(url)

    def finish(self) -> dict:
        self.page.wait_for_function("() => window.__dynalabRun && window.__dynalabRun.finished",
                                    timeout=_OPEN_MS + 300_000)
        run = self.page.evaluate("() => window.__dynalabRun")
        assert not run.get("dialog"), (f"{self.notebook.name}: JupyterLab asks a question on opening it: "
                                       f"{run['dialog']!r} (a lesson needs metadata.kernelspec python3)")
        return run["result"]

    def close(self) -> None:
        """Close the page and stop this lesson's kernel (and its engine) now, not when the server stops; the server
        does that while the next lesson is checked (a kernel takes a second or two to stop)."""
        try:
            session = self.page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.id")
        except Exception:  # noqa: BLE001 (best effort: the server stops every kernel at the end anyway)
            session = None
        self.context.close()
        if session:
            request = urllib.request.Request(f"{self.server_url}/api/sessions/{session}", method="DELETE")
            threading.Thread(target=_quietly, args=(urllib.request.urlopen, request), daemon=True).start()


#: lessons opened ahead of the one the test checks (``DYNALAB_BROWSER_AHEAD``): each runs in its own kernel
AHEAD = int(os.environ.get("DYNALAB_BROWSER_AHEAD", "3"))


@pytest.fixture(scope="module")
def lesson_runs(request, browser, jupyter_lab):
    """Opens each lesson ``AHEAD`` lessons ahead (its page presses Run All by itself): while the test checks one
    lesson, the next ones run (a live demo waits on real seconds, a kernel on its engine), and the browser tests
    take far less than the sum."""
    selected = [item.callspec.params["notebook"] for item in request.session.items
                if item.originalname == "test_lesson_in_jupyterlab" and hasattr(item, "callspec")]
    runs: dict = {}

    def get(notebook) -> LessonRun:
        following = selected[selected.index(notebook) + 1:][:AHEAD] if notebook in selected else []
        for lesson in [notebook, *following]:
            if lesson not in runs:
                runs[lesson] = LessonRun(browser, jupyter_lab, lesson)
        return runs[notebook]

    yield get
    for run in runs.values():
        if not run.page.is_closed():
            run.close()


_SETTINGS = """(container) => {
    const values = {};
    for (const row of container.querySelectorAll('.widget-inline-hbox, .widget-toggle-buttons')) {
        const label = row.querySelector(':scope > .widget-label');
        if (!label || !label.innerText.trim()) continue;
        const readout = row.querySelector('.widget-readout');
        const select = row.querySelector('select');
        const active = row.querySelector('button.mod-active');
        const value = readout ? readout.innerText : select ? select.options[select.selectedIndex].text
                    : active ? active.innerText : null;
        if (value !== null) values[label.innerText.trim()] = value.trim();
    }
    for (const row of container.querySelectorAll('.widget-checkbox')) {
        const box = row.querySelector('input[type=checkbox]');
        const label = row.querySelector('.widget-label-basic span');
        if (box && label) values[label.innerText.trim()] = box.checked ? 'true' : 'false';
    }
    return values;
}"""

# The self-check form: the last (innermost) widget box holding a button that says ``check`` (one lookup, not one per
# action: a selector with :has() over a whole lesson's page costs seconds on a busy machine).
_SELF_CHECK_FORM = """(check) => {
    const forms = [...document.querySelectorAll('.widget-vbox')].filter(box =>
        [...box.querySelectorAll('.widget-button')].some(button => button.innerText.includes(check)));
    return forms.length ? forms[forms.length - 1] : null;
}"""

# The lesson widget a main control belongs to: its closest ancestor that also holds a main readout.
_CONTAINER = """(control) => {
    let node = control.parentElement;
    while (node && !node.querySelector('.dynalab-main-readout')) node = node.parentElement;
    return node;
}"""


@contextlib.contextmanager
def _language(language: str):
    """dynalab in ``language`` in this process (the expectations and self-check answers), as it was afterwards."""
    from dynalab import i18n

    was = i18n.get_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(was)


def _tr(text: str | None, language: str) -> str | None:
    """A label the expectations name in English, as the lesson shows it."""
    from dynalab import i18n

    if text is None or language == "en":
        return text
    with _language(language):
        return i18n.tr(text)


def _expected(expectation, move: Move, language: str):
    """What the model says the readout shows after ``move``. For a Japanese lesson the expectation gets the move
    with each label also under its English words (the settings it looks up); if it cannot read the move in the
    lesson's words (an option it looks up in English), it gets the move wholly in dynalab's English words."""
    if language == "en":
        return expectation.expected(move)
    in_english = {english(k): english(v) for k, v in move.settings.items()}
    both = dataclasses.replace(move, settings={**in_english, **move.settings})
    try:
        return expectation.expected(both)
    except (AssertionError, KeyError, ValueError, StopIteration):
        return expectation.expected(dataclasses.replace(move, before=english(move.before), after=english(move.after),
                                                        settings=in_english))


def _move(page, control, container) -> Move:
    """Move a main control once, as a learner would; return what it and its widget's settings showed."""
    control.scroll_into_view_if_needed()
    classes = control.get_attribute("class") or ""
    if control.locator(".noUi-handle").count():
        readout = control.locator(".widget-readout")
        before = _text(readout) if readout.count() else ""
        handle = control.locator(".noUi-handle").last
        handle.focus()
        handle.press("ArrowRight")
        if readout.count():
            page.wait_for_function("([el, old]) => el.innerText.trim() !== old",
                                   arg=[readout.element_handle(), before])
        kind, after = "slider", _text(readout) if readout.count() else ""
    elif control.locator("select").count():
        select = control.locator("select").first
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % len(options))
        kind, before, after = "dropdown", options[current], options[(current + 1) % len(options)]
    elif "widget-toggle-buttons" in classes or control.locator(".widget-toggle-button").count():
        buttons = control.locator("button")
        labels = [t.strip() for t in buttons.all_inner_texts()]
        active = [i for i in range(buttons.count()) if "mod-active" in (buttons.nth(i).get_attribute("class") or "")]
        current = active[0] if active else 0
        target = (current + 1) % len(labels)
        buttons.nth(target).click()
        kind, before, after = "toggle", labels[current], labels[target]
    else:
        button = control if control.evaluate("e => e.tagName") == "BUTTON" else control.locator("button").first
        kind = "button"
        before = after = _text(button)
        button.click()
    settings = {" ".join(k.split()): " ".join(v.split()) for k, v in container.evaluate(_SETTINGS).items()}
    return Move(kind, " ".join(before.split()), " ".join(after.split()), settings)  # ipywidgets shows &nbsp;


def _questions(notebook):
    """The lesson's self-check questions, from dynalab (the lesson's cell is ``dynalab.self_check_for("NN", ...)``:
    its questions live in ``dynalab.lessons.self_checks``). A question about the learner's own run (a result the
    cell passes in) cannot be computed here: ``_first_checkable`` skips it."""
    from dynalab.widgets.self_check import self_check_questions

    cells = nbformat.read(notebook, as_version=4).cells
    source = next((c.source for c in cells if c.cell_type == "code" and "self_check_for(" in c.source), None)
    if source is None:
        return None
    call = next(node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "self_check_for")
    return self_check_questions(ast.literal_eval(call.args[0]))


def _first_checkable(questions):
    """(index, question, the answer to type) for the first question whose answer this process can compute
    (an answer may lean on the notebook's state, e.g. a query's result), else (0, None, "")."""
    for number, question in enumerate(questions or []):
        try:
            expected = question.expected()
        except LookupError:  # an answer computed from the learner's own run
            continue
        if isinstance(expected, float) and expected.is_integer():
            expected = int(expected)
        return number, question, str(expected)
    return 0, None, ""


def _name(notebook) -> str:
    return f"ja-{notebook.stem}" if language_of(notebook) == "ja" else notebook.stem


@pytest.mark.parametrize("notebook", browser_lessons() + japanese_browser_lessons(), ids=_name)
def test_lesson_in_jupyterlab(lesson_runs, notebook):
    (ARTIFACTS / f"{_name(notebook)}-FAILED.png").unlink(missing_ok=True)
    language = language_of(notebook)
    run = lesson_runs(notebook)
    page, page_errors, outside = run.page, run.errors, run.outside
    try:
        with _language(language):
            _check_lesson(page, notebook, language, run)
        _screenshot(page, _name(notebook))
        assert not page_errors, f"{notebook.name}: script errors in the page: {page_errors}"
        assert not outside, f"{notebook.name}: requests that would leave the machine: {outside}"
    except Exception:
        _screenshot(page, f"{_name(notebook)}-FAILED")  # what the page looked like when it failed
        raise
    finally:
        run.close()


def _check_lesson(page, notebook, language: str, run: LessonRun) -> None:
    """Run All, the self-check form, the main widgets (dynalab in ``language`` in this process meanwhile)."""
    where = f"{'ja/' if language == 'ja' else ''}{notebook.name}"
    result = run.finish()
    assert not result["errors"], f"{where}: cells raised {result['errors']}"
    assert result["done"], f"{where}: Run All did not complete"

    number, question, typed = _first_checkable(_questions(notebook))
    if question is not None:
        check = _tr("Check", language)
        form = page.evaluate_handle(_SELF_CHECK_FORM, check).as_element()
        assert form is not None, f"{where}: no self-check form (a box with {check!r} buttons) on the page"
        form.scroll_into_view_if_needed()
        form.query_selector_all("input")[number].fill(typed)
        [button for button in form.query_selector_all("button") if check in button.inner_text()][number].click()
        verdict = form.evaluate_handle("(form, n) => form.querySelectorAll('.widget-hbox')[n].nextElementSibling",
                                       number).as_element()
        page.wait_for_function("el => el.innerText.trim() !== ''", arg=verdict)
        shown = " ".join(verdict.inner_text().split())
        assert shown == " ".join(question.check(typed).split()), (
            f"{where}: self-check question {number + 1} answered {typed!r}")
        assert language == "en" or has_japanese(shown), (
            f"{where}: the self-check's verdict is not Japanese: {shown!r}")

    clipped = page.evaluate(_CLIPPED)  # every widget drawn by Run All, before the test moves any
    assert not clipped, f"{where}: widget text cut off by its box: {clipped}"

    expectations = EXPECTATIONS.get(notebook.stem, [])
    controls = page.locator(MAIN_CONTROL)
    assert controls.count() == len(expectations), (
        f"{where}: {controls.count()} main widget(s) ({MAIN_CONTROL}) on the page, "
        f"tests/browser/expectations.py expects {len(expectations)}: keep the two in step")
    for index, expectation in enumerate(expectations):
        control = controls.nth(index)
        container = control.evaluate_handle(_CONTAINER)
        assert container.as_element() is not None, f"{where}: main control {index} has no readout"
        readout = container.as_element().query_selector(MAIN_READOUT)
        page.wait_for_function("el => el.innerText.trim() !== ''", arg=readout)
        before = _text(readout)
        for label in expectation.minimize:  # e.g. a live run's duration: keep the test short
            label = _tr(label, language)
            row = container.as_element().query_selector(f".widget-slider:has(.widget-label:text-is('{label}'))")
            assert row is not None, f"{where}: no slider {label!r} in main widget {index}"
            row.query_selector(".noUi-handle").press("Home")
        move = dataclasses.replace(_move(page, control, container.as_element()), readout_before=before)
        if expectation.then_click:  # a widget whose control takes effect on a button (a live run)
            label = _tr(expectation.then_click, language)
            button = container.as_element().query_selector(f"button:has-text('{label}')")
            assert button is not None, f"{where}: no button {label!r} (widget {index})"
            button.click()
        try:
            page.wait_for_function(
                "([el, old, busy]) => { const t = el.innerText.trim().replace(/\\s+/g, ' ');"
                " return t !== old && !(busy && t.startsWith(busy)); }",
                arg=[readout, before, _tr(expectation.busy_text, language)], timeout=expectation.timeout_ms)
        except PlaywrightTimeout:
            message = (f"{where}: main widget {index}'s readout did not change within "
                       f"{expectation.timeout_ms / 1000:g} s of {move}; it still shows {before!r}")
            if expectation.known_issue:
                _screenshot(page, _name(notebook))
                pytest.xfail(f"{message} (known issue: {expectation.known_issue})")
            raise AssertionError(message) from None
        shown = _text(readout)
        wanted = _expected(expectation, move, language)
        for piece in [wanted] if isinstance(wanted, str) else wanted:
            piece = " ".join(piece.split())
            if language == "en" or has_japanese(piece):  # the model's own words, in the lesson's language
                assert piece in shown, (
                    f"{where}: after {move}, main widget {index} shows {shown!r}; the model says {piece!r}")
            else:  # typed in English in expectations.py: the readout must give the same numbers
                lacking = same_numbers(piece, shown)
                assert not lacking, (f"{where}: after {move}, main widget {index} shows {shown!r}, without the "
                                     f"numbers {lacking} of what the model says ({piece!r})")
        assert language == "en" or has_japanese(shown), (
            f"{where}: main widget {index}'s readout is not Japanese: {shown!r}")

    if controls.count():
        controls.first.scroll_into_view_if_needed()


def test_expectations_name_real_lessons():
    stems = {p.stem for p in browser_lessons()}
    unknown = set(EXPECTATIONS) - stems
    assert not unknown, f"expectations for lessons that do not exist: {sorted(unknown)}"


def test_the_japanese_lessons_the_tests_open_exist():
    from browser_support import JAPANESE_LESSONS

    opened = {p.stem for p in japanese_browser_lessons()}
    assert opened >= set(JAPANESE_LESSONS) or os.environ.get("DYNALAB_BROWSER_JA"), (
        f"notebooks/ja lacks {sorted(set(JAPANESE_LESSONS) - opened)}: the Japanese browser tests need them")

