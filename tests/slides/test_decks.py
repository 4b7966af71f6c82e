"""Each lesson's deck opens offline from ``file://``: it loads, it holds every figure of the lesson's stored outputs
and every figure slide draws its plot, every widget the lesson displays is there as its static snapshot (drawn
from the stored outputs by ``tools/build_slides.py``), and no request leaves the machine. One screenshot per deck goes
to ``artifacts/slides/``.

The Japanese edition's decks (``build/slides/ja/``, from ``notebooks/ja/``) are checked the same way, a little
lighter (their code is the English lessons' code, which the English decks check figure by figure): they load
offline from ``file://``, say ``lang="ja"``, show Japanese text in the system's Japanese font (Noto Sans CJK JP from
Debian's fonts-noto-cjk, when it is installed), hold every figure of their lesson, their first figure draws and
every widget is there as its snapshot. Screenshots in
``artifacts/slides/ja/``.
"""

from __future__ import annotations

import nbformat
import pytest
from slides_support import (
    ARTIFACTS,
    DECKS,
    JAPANESE_ARTIFACTS,
    JAPANESE_DECKS,
    JAPANESE_NOTEBOOKS,
    ROOT,
    lesson_notebooks,
    load_build_slides,
    shown_outputs,
)

BUILD_SLIDES = load_build_slides()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (ROOT / "node_modules" / "reveal.js").is_dir(),
                       reason="node_modules/ is missing (no npm): the offline decks cannot be built"),
]

_FIGURES = """() => [...document.querySelectorAll('.plotly-graph-div')].map(div => {
    const section = div.closest('section');
    const where = Reveal.getIndices(section);
    return {h: where.h, v: where.v || 0, id: div.id};
})"""

_DRAWN = """(id) => {
    const div = document.getElementById(id);
    if (!div) return 'missing';
    const box = div.getBoundingClientRect();
    const marks = div.querySelectorAll('.main-svg .trace, .main-svg .hm, .main-svg image, .gl-container canvas');
    const size = (a) => (a && a.length) || 0;
    const points = (div._fullData || []).reduce(
        (n, t) => n + Math.max(size(t.x), size(t.y), size(t.values), size(t.z)), 0);
    return {traces: (div._fullData || []).length, points: points, marks: marks.length,
            svg: !!div.querySelector('.main-svg .cartesianlayer, .main-svg .pielayer'),
            width: box.width, height: box.height};
}"""

_VISIBLE = """(id) => {
    const div = document.getElementById(id);
    return !!div && div.getBoundingClientRect().width > 0 && !!div.querySelector('.main-svg');
}"""

# Each figure's slide in turn (one call, not three round trips a figure): shown within 10 s, then what it drew.
_DRAW_EACH = """async (figures) => {
    const visible = __VISIBLE__;
    const drawn = __DRAWN__;
    const frame = () => new Promise(done => requestAnimationFrame(done));
    const found = [];
    for (const figure of figures) {
        Reveal.slide(figure.h, figure.v);
        const until = performance.now() + 10000;
        while (!visible(figure.id) && performance.now() < until) await frame();
        found.push({...figure, visible: visible(figure.id), drawn: drawn(figure.id)});
    }
    return found;
}""".replace("__VISIBLE__", _VISIBLE).replace("__DRAWN__", _DRAWN)

# Each widget the lesson displays, drawn from its static snapshot: what it shows (text, controls, figures), and the
# live widget views left in the page (none: a static page has no kernel to draw one).
_WIDGETS = """() => ({
    snapshots: [...document.querySelectorAll('.dynalab-widget-snapshot')].map(div => ({
        text: div.textContent.trim().length,
        parts: div.querySelectorAll('input, select, button, progress, .plotly-graph-div').length})),
    live: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length})"""

# A slide shown at once (no transition), then two frames drawn: what a screenshot should catch.
_GO_TO = """async ([h, v]) => {
    Reveal.slide(h, v);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const at = Reveal.getIndices();
    return [at.h, at.v || 0];
}"""


_JAPANESE = """() => {
    const text = document.querySelector('.reveal .slides').innerText;
    const japanese = (text.match(/[\u3040-\u30ff\u3400-\u9fff]/g) || []).length;
    const title = document.querySelector('.reveal .slides > section h1');
    return {lang: document.documentElement.lang, japanese: japanese,
            font: title ? getComputedStyle(title).fontFamily : ''};
}"""

# Whether chromium draws Japanese glyphs, not boxes: with no font for them every character is the same "missing
# glyph" box, so two different kanji drawn in the title's font give the same pixels; real glyphs differ. And whether
# the named font itself is used: Latin text in "<font>, monospace" measures differently from plain monospace only
# when that font exists (a missing one falls back to monospace).
_GLYPHS = """(font) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 64;
    const context = canvas.getContext('2d', {willReadFrequently: true});
    const draw = (character) => {
        context.clearRect(0, 0, 64, 64);
        context.font = `48px ${font}`;
        context.fillText(character, 4, 52);
        return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
    };
    const sample = 'dynalab Mimic 123';
    context.font = '32px monospace';
    const fallback = context.measureText(sample).width;
    context.font = '32px "Noto Sans CJK JP", monospace';
    return {distinct: draw('日') !== draw('本'), noto: context.measureText(sample).width !== fallback};
}"""


def _system_has_japanese_font() -> bool:
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return False
    return "Noto Sans CJK JP" in subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True,
                                                text=True).stdout


@pytest.fixture(scope="module")
def decks_context(browser):
    """One browser context for the module's decks (each deck gets a page of its own)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def _open(context, deck):
    """A new page on ``deck``, every request that is not file:// (or data:, blob:) logged and failed."""
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page = context.new_page()
    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=20_000)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    # The presenter's slide transition (0.8 s) would only slow the test: slides change at once here.
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    return page, outside, errors


def _check_widgets(page, name: str, expected: dict[str, int]) -> None:
    """Every widget the lesson displays is on the deck as its snapshot, none empty, no live view left."""
    widgets = page.evaluate(_WIDGETS)
    assert widgets["live"] == 0, f"{name}: {widgets['live']} live widget view(s) that a static page cannot draw"
    assert len(widgets["snapshots"]) == expected["widgets"], (
        f"{name}: {len(widgets['snapshots'])} widget snapshot(s) on the deck, the lesson displays "
        f"{expected['widgets']} widget(s)")
    empty = [i for i, shown in enumerate(widgets["snapshots"]) if not shown["text"] and not shown["parts"]]
    assert not empty, f"{name}: widget snapshot(s) {empty} show nothing"


@pytest.mark.parametrize("notebook", lesson_notebooks(), ids=lambda p: p.stem)
def test_deck_works_offline(decks_context, notebook):
    deck = DECKS / f"{notebook.stem}.slides.html"
    assert deck.exists(), f"{deck} is missing: run `make slides`"
    built_from = BUILD_SLIDES.deck_digest(deck.read_text(encoding="utf-8"))
    assert built_from == BUILD_SLIDES.source_digest(nbformat.read(notebook, as_version=4)), (
        f"{deck.name} was built from another version of {notebook.name}: run `make slides`")
    expected = shown_outputs(nbformat.read(notebook, as_version=4))
    page, outside, errors = _open(decks_context, deck)
    try:
        assert page.evaluate("Reveal.getTotalSlides()") >= 2
        title = page.locator(".reveal .slides > section").first.locator("h1")
        assert title.count() >= 1, f"{deck.name}: the first slide has no title (h1)"

        figures = page.evaluate(_FIGURES)
        assert len(figures) == expected["figures"], (
            f"{deck.name}: {len(figures)} figure(s) on the deck, the lesson's stored outputs hold "
            f"{expected['figures']}")
        for figure in page.evaluate(_DRAW_EACH, figures):
            assert figure["visible"], f"{deck.name}: the figure on slide {figure['h']}/{figure['v']} did not show"
            drawn = figure["drawn"]
            # Drawn: plotted area laid out, and marks for the data (a figure whose traces are still empty, such
            # as a live demo before its first run, draws its axes only).
            assert drawn["svg"] and drawn["height"] > 0 and (drawn["marks"] > 0 or drawn["points"] == 0), (
                f"{deck.name}: the figure on slide {figure['h']}/{figure['v']} did not draw: {drawn}")

        _check_widgets(page, deck.name, expected)

        # The screenshot: the first figure slide, else the title slide.
        where = [figures[0]["h"], figures[0]["v"]] if figures else [0, 0]
        assert page.evaluate(_GO_TO, where) == where
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.png"))

        assert not errors, f"{deck.name}: script errors: {errors}"
        assert not outside, f"{deck.name}: requests that would leave the machine: {outside}"
    finally:
        page.close()


@pytest.mark.parametrize("notebook", lesson_notebooks(JAPANESE_NOTEBOOKS), ids=lambda p: f"ja-{p.stem}")
def test_japanese_deck_works_offline_and_shows_japanese(decks_context, notebook):
    deck = JAPANESE_DECKS / f"{notebook.stem}.slides.html"
    assert deck.exists(), f"{deck} is missing: run `make slides`"
    page_text = deck.read_text(encoding="utf-8")
    assert BUILD_SLIDES.deck_digest(page_text) == BUILD_SLIDES.source_digest(nbformat.read(notebook, as_version=4)), (
        f"ja/{deck.name} was built from another version of notebooks/ja/{notebook.name}: run `make slides`")
    assert not BUILD_SLIDES.external_loads(page_text)
    expected = shown_outputs(nbformat.read(notebook, as_version=4))
    page, outside, errors = _open(decks_context, deck)
    try:
        assert page.evaluate("Reveal.getTotalSlides()") >= 2
        shown = page.evaluate(_JAPANESE)
        assert shown["lang"] == "ja", f"ja/{deck.name}: <html lang={shown['lang']!r}>, not ja"
        assert shown["japanese"] >= 20, f"ja/{deck.name}: hardly any Japanese on the slides ({shown['japanese']} chars)"
        assert "Noto Sans CJK JP" in shown["font"] and "Hiragino Sans" in shown["font"], (
            f"ja/{deck.name}: the title's font stack has no Japanese system font: {shown['font']!r}")
        if _system_has_japanese_font():  # Debian's fonts-noto-cjk (tools/install_chromium.py): glyphs, not boxes
            glyphs = page.evaluate(_GLYPHS, shown["font"])
            assert glyphs == {"distinct": True, "noto": True}, f"ja/{deck.name}: Japanese is not drawn: {glyphs}"

        figures = page.evaluate(_FIGURES)
        assert len(figures) == expected["figures"], (
            f"ja/{deck.name}: {len(figures)} figure(s) on the deck, the lesson's stored outputs hold "
            f"{expected['figures']}")
        if figures:
            first = page.evaluate(_DRAW_EACH, figures[:1])[0]
            assert first["visible"], f"ja/{deck.name}: the first figure did not show"
            drawn = first["drawn"]
            assert drawn["svg"] and drawn["height"] > 0 and (drawn["marks"] > 0 or drawn["points"] == 0), (
                f"ja/{deck.name}: the first figure did not draw: {drawn}")
        _check_widgets(page, f"ja/{deck.name}", expected)

        # The screenshot: the title slide (Japanese text) of every deck.
        assert page.evaluate(_GO_TO, [0, 0]) == [0, 0]
        JAPANESE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(JAPANESE_ARTIFACTS / f"{notebook.stem}.png"))

        assert not errors, f"ja/{deck.name}: script errors: {errors}"
        assert not outside, f"ja/{deck.name}: requests that would leave the machine: {outside}"
    finally:
        page.close()


def test_index_lists_every_deck():
    index = DECKS / "index.html"
    assert index.exists(), f"{index} is missing: run `make slides`"
    page = index.read_text(encoding="utf-8")
    for notebook in lesson_notebooks():
        assert f"{notebook.stem}.slides.html" in page
    japanese = JAPANESE_DECKS / "index.html"
    assert 'href="ja/index.html"' in page and japanese.exists(), f"{japanese} is missing: run `make slides`"
    page = japanese.read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and "スライド" in page
    for notebook in lesson_notebooks(JAPANESE_NOTEBOOKS):
        assert f'href="{notebook.stem}.slides.html"' in page


def test_both_editions_share_one_vendor_folder():
    """A Japanese deck loads the same vendored files as the English ones, from ../vendor/ (nothing copied twice)."""
    decks = sorted(JAPANESE_DECKS.glob("*.slides.html"))
    assert decks, f"no Japanese decks in {JAPANESE_DECKS}: run `make slides`"
    assert not (JAPANESE_DECKS / "vendor").exists()
    for deck in decks:
        loads = [m.group(1) or m.group(2) for m in BUILD_SLIDES._LOADS.finditer(deck.read_text(encoding="utf-8"))]
        local = [url for url in loads if not url.startswith(("data:", "#"))]
        assert local and all(url.startswith("../vendor/") for url in local), (deck.name, local)
        assert all((deck.parent / url).resolve().is_file() for url in local), deck.name
