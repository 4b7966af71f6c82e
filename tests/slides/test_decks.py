"""Each lesson's deck opens offline from ``file://``: it loads, every figure slide draws its plot, every widget
renders, and no request leaves the machine. One screenshot per deck goes to ``artifacts/slides/``.
"""

from __future__ import annotations

import nbformat
import pytest
from slides_support import ARTIFACTS, DECKS, ROOT, lesson_notebooks, load_build_slides

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

_WIDGETS = """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
    .map(script => !!script.parentElement.querySelector('.lm-Widget'))"""


def _open(browser, deck):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=20_000)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    return context, page, outside, errors


@pytest.mark.parametrize("notebook", lesson_notebooks(), ids=lambda p: p.stem)
def test_deck_works_offline(browser, notebook):
    deck = DECKS / f"{notebook.stem}.slides.html"
    assert deck.exists(), f"{deck} is missing: run `make slides`"
    built_from = BUILD_SLIDES.deck_digest(deck.read_text(encoding="utf-8"))
    assert built_from == BUILD_SLIDES.source_digest(nbformat.read(notebook, as_version=4)), (
        f"{deck.name} was built from another version of {notebook.name}: run `make slides`")
    context, page, outside, errors = _open(browser, deck)
    try:
        assert page.evaluate("Reveal.getTotalSlides()") >= 2
        title = page.locator(".reveal .slides > section").first.locator("h1")
        assert title.count() >= 1, f"{deck.name}: the first slide has no title (h1)"

        figures = page.evaluate(_FIGURES)
        for figure in figures:
            page.evaluate("([h, v]) => Reveal.slide(h, v)", [figure["h"], figure["v"]])
            page.wait_for_function(_VISIBLE, arg=figure["id"], timeout=10_000)
            drawn = page.evaluate(_DRAWN, figure["id"])
            # Drawn: plotted area laid out, and marks for the data (a figure whose traces are still empty, such
            # as a live demo before its first run, draws its axes only).
            assert drawn["svg"] and drawn["height"] > 0 and (drawn["marks"] > 0 or drawn["points"] == 0), (
                f"{deck.name}: the figure on slide {figure['h']}/{figure['v']} did not draw: {drawn}")

        widgets = page.evaluate(_WIDGETS)
        assert all(widgets), f"{deck.name}: {widgets.count(False)} of {len(widgets)} widgets did not render"

        # The screenshot: the first figure slide, else the title slide.
        where = [figures[0]["h"], figures[0]["v"]] if figures else [0, 0]
        page.evaluate("([h, v]) => Reveal.slide(h, v)", where)
        page.wait_for_timeout(900)  # reveal's slide transition
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.png"))

        assert not errors, f"{deck.name}: script errors: {errors}"
        assert not outside, f"{deck.name}: requests that would leave the machine: {outside}"
    finally:
        context.close()


def test_index_lists_every_deck():
    index = DECKS / "index.html"
    assert index.exists(), f"{index} is missing: run `make slides`"
    page = index.read_text(encoding="utf-8")
    for notebook in lesson_notebooks():
        assert f"{notebook.stem}.slides.html" in page
