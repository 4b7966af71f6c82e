"""Render every lesson to reveal.js slides that work offline, from ``file://``: ``python tools/build_slides.py``.

    python tools/build_slides.py [notebooks/01_capacity_units.ipynb ...] [--language en|ja|all] [--out build/slides]
                                 [--jobs 2]

Output: ``build/slides/`` holds one ``NN_name.slides.html`` per English lesson (``notebooks/``), an ``index.html``
listing them, ``ja/`` with the Japanese edition's decks (``notebooks/ja/``, ``<html lang="ja">``, their own
``ja/index.html``), and ``vendor/`` with every script and style sheet the decks of both editions load. Copy the folder
to a USB stick and open ``index.html``: nothing is fetched from the network.

How (a recipe measured on this project's machines):

* Nothing is executed: a deck shows the lesson's **stored outputs**, the ones ``make refresh-notebooks``
  (``tools/refresh_notebooks.py``) committed and nbval checks. A stored plotly figure (plotly's JSON) is drawn by
  plotly.js: ``vendor/plotly/``, npm's cartesian bundle (a third of the full one's size, so a deck opens in a third
  of the time; a deck with a trace type it lacks inlines the plotly package's full plotly.js). A widget (a live
  model in a kernel, which a static page cannot draw) is shown as the static snapshot refresh_notebooks stored with
  its output
  (``metadata.dynalab.snapshot``): its controls with their values (disabled), its figure and its readout, as the
  learner sees them after Run All. A widget output without a snapshot fails the build and names the
  ``make refresh-notebooks NB=...`` to run.
* reveal.js, require.js, jQuery, font-awesome and plotly.js are copied from ``node_modules/`` (package.json pins
  them) into ``vendor/`` at build time, and the SlidesExporter's URLs point there.
* Cells tagged ``remove-cell`` (a lesson's hidden checks, collapsed in JupyterLab) are left out of the deck.
* A small template extending nbconvert's ``reveal`` template drops what has no offline copy (mermaid, MathJax)
  and guards the MathJax call in reveal's ``slidechanged`` handler.
* Afterwards every deck is checked: a ``<script src>`` or ``<link href>`` that leaves the machine fails the build.
* A Japanese deck names its language (``lang="ja"``) and a font stack of the Japanese system fonts (Noto Sans CJK JP,
  which Debian's ``fonts-noto-cjk`` installs; Noto Sans JP; Hiragino Sans on macOS; Yu Gothic on Windows): no web font
  is fetched, the system's own font draws the text.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
DEFAULT_OUT = ROOT / "build" / "slides"
#: the editions: language -> (the folder of its lessons, the subfolder of the output its decks go to)
EDITIONS: dict[str, tuple[Path, str]] = {"en": (ROOT / "notebooks", ""), "ja": (ROOT / "notebooks" / "ja", "ja")}
#: system fonts that draw Japanese, best first (none is downloaded: a deck uses what the machine has)
JAPANESE_FONTS = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", ' \
                 '"Meiryo", sans-serif'

#: what is vendored: destination under vendor/ -> (npm package folder, the files or folders to copy from it)
VENDOR: dict[str, tuple[str, tuple[str, ...]]] = {
    "reveal.js": ("reveal.js", ("dist", "plugin/notes")),
    "requirejs": ("requirejs", ("require.js",)),
    "jquery": ("jquery", ("dist/jquery.min.js",)),
    "font-awesome": ("font-awesome", ("css", "fonts")),
    "plotly": ("plotly.js-cartesian-dist-min", ("plotly-cartesian.min.js",)),
}
#: the trace types vendor/plotly's bundle draws (plotly.js's "cartesian" bundle, the version plotly.py ships: see
#: package.json); a deck with another type inlines the plotly package's full plotly.js instead (offline too)
CARTESIAN_TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
                              "image", "pie", "scatter", "scatterternary", "violin"})
#: files inside the vendored folders that the decks never load (source maps, the ES module build)
_SKIP_PATTERNS = ("*.map", "reveal.esm.js")

TEMPLATE = r"""{%- extends 'reveal/index.html.j2' -%}
{# dynalab's offline deck: no mermaid, no MathJax (neither has an offline copy); everything else as nbconvert's. #}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
<style>
/* A Japanese deck (html lang="ja"): the system's Japanese fonts, for reveal's text and the cells' alike. */
:root:lang(ja) { --r-main-font: JAPANESE_FONTS; --r-heading-font: JAPANESE_FONTS;
                 --jp-content-font-family: JAPANESE_FONTS; --jp-ui-font-family: JAPANESE_FONTS; }
/* A widget's static snapshot (tools/refresh_notebooks.py): its controls as the learner left them, disabled. */
.dynalab-widget-snapshot .dynalab-snap-row { display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; align-items: center; }
.dynalab-widget-snapshot .dynalab-snap-column { display: flex; flex-direction: column; gap: 0.3em; }
.dynalab-widget-snapshot .dynalab-snap-label { margin-right: 0.5em; }
.dynalab-widget-snapshot .dynalab-snap-readout { margin-left: 0.5em; font-variant-numeric: tabular-nums; }
.dynalab-widget-snapshot input, .dynalab-widget-snapshot select, .dynalab-widget-snapshot button { font: inherit; }
.dynalab-widget-snapshot .dynalab-snap-toggle.mod-active { font-weight: bold; }
</style>
{%- endblock html_head_css -%}
{%- block html_head_js -%}
{{ super() }}
{%- if resources.dynalab_plotly_src or resources.dynalab_plotly_js %}
<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>
{%- endif %}
{%- if resources.dynalab_plotly_src %}
<script src="{{ resources.dynalab_plotly_src }}"></script>
{%- elif resources.dynalab_plotly_js %}
<script>{{ resources.dynalab_plotly_js }}</script>
{%- endif %}
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}
<script>
// No MathJax offline: a stand-in for the calls reveal's template and the widget manager make, so they are no-ops.
window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return []; }, Queue: function () {},
                                          Config: function () {}, Rerender: function () {}}};
</script>
{%- endblock html_head_js_mathjax -%}
{% block footer_js %}
{{ super() }}
<script>
// The deck's Reveal object as a global, for the presenter's console and the slides tests.
require(["{{ resources.reveal.url_prefix }}/dist/reveal.js"], function (Reveal) { window.Reveal = Reveal; });
</script>
{% endblock footer_js %}
"""

# Resources a page loads: a <script src>, a <link href>, an <img src> (links a reader clicks are not loads).
_LOADS = re.compile(r'<(?:script|img|iframe)\b[^>]*\bsrc=["\']([^"\']+)["\']|<link\b[^>]*\bhref=["\']([^"\']+)["\']',
                    re.IGNORECASE)
_LESSON_LINK = re.compile(r'href="(\d\d_[A-Za-z0-9_]+)\.ipynb(#[^"]*)?"')
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"
#: where a widget output keeps its static snapshot (tools/refresh_notebooks.py: SNAPSHOT_KEY, the same name)
SNAPSHOT_KEY = "dynalab"
#: the class of the element each widget's snapshot is drawn in (the slides tests count them)
SNAPSHOT_CLASS = "dynalab-widget-snapshot"
#: tags of the cells a lesson hides from the learner and the slides (collapsed in JupyterLab, checked by nbval)
HIDDEN_CELL_TAGS = ("remove-cell",)


def source_digest(notebook) -> str:
    """A fingerprint of what a deck is built from: the cells' sources, slide metadata, tags and stored outputs (with
    the widgets' snapshots). A deck whose fingerprint differs from its notebook's is stale."""
    import hashlib

    digest = hashlib.sha256()
    for cell in notebook.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "")
        tags = cell.get("metadata", {}).get("tags", [])
        digest.update(json.dumps([cell.cell_type, kind, tags, cell.source, cell.get("outputs", [])],
                                 sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def notebook_source(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


_DIGEST_META = '<meta name="dynalab-lesson-digest" content="{}">'
_DIGEST_FOUND = re.compile(r'<meta name="dynalab-lesson-digest" content="([0-9a-f]+)">')


def deck_digest(page: str) -> str | None:
    found = _DIGEST_FOUND.search(page)
    return found.group(1) if found else None


class SlidesBuildError(RuntimeError):
    """The build cannot produce an offline deck; the message says why and what to do."""


def lesson_notebooks(language: str = "en") -> list[Path]:
    return sorted(EDITIONS[language][0].glob("[0-9]*.ipynb"))


def language_of(path: Path) -> str:
    """The edition a lesson belongs to: "ja" for ``notebooks/ja/`` (any folder named ``ja``), else "en"."""
    return "ja" if path.resolve().parent.name == "ja" else "en"


def deck_folder(out: Path, language: str) -> Path:
    return out / EDITIONS[language][1] if EDITIONS[language][1] else out


def vendor(out: Path) -> None:
    """Copy the npm files the decks load into ``out/vendor`` (fresh each build)."""
    target_root = out / "vendor"
    shutil.rmtree(target_root, ignore_errors=True)
    for name, (package, parts) in VENDOR.items():
        source_root = NODE_MODULES / package
        if not source_root.is_dir():
            raise SlidesBuildError(
                f"{source_root} is missing: run `make node` (npm ci) first; package.json lists {package}.")
        for part in parts:
            source = source_root / part
            target = target_root / name / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns(*_SKIP_PATTERNS))
            else:
                shutil.copy2(source, target)


def _figure_html(figure: dict, div_id: str) -> str:
    """A plotly figure (its stored JSON) as the deck draws it: a div and a ``Plotly.newPlot`` call (plotly.js is
    loaded once, in the deck's head)."""
    import plotly.io as pio

    return pio.to_html(figure, include_plotlyjs=False, include_mathjax=False, full_html=False, validate=False,
                       default_width="100%", default_height=525, div_id=div_id)


class _Renderer:
    """Turns one lesson's stored outputs into what a static page shows: plotly JSON into drawn figures, a widget's
    output into the HTML of its stored snapshot (``tools/refresh_notebooks.py: widget_snapshot``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.figures = 0
        self.traces: set[str] = set()  # the trace types the deck draws

    def figure(self, data: dict) -> str:
        self.figures += 1
        self.traces |= {trace.get("type", "scatter") for trace in data.get("data", [])}
        return _figure_html(data, f"{self.path.stem}-figure-{self.figures}")

    def output(self, output: dict, where: str) -> dict:
        data = output.get("data", {})
        if WIDGET_VIEW in data:
            snapshot = output.get("metadata", {}).get(SNAPSHOT_KEY, {})
            if "snapshot" not in snapshot:
                raise SlidesBuildError(
                    f"{self.path.name} {where}: a widget's output has no static snapshot (metadata.{SNAPSHOT_KEY}."
                    f"snapshot, stored by tools/refresh_notebooks.py): run `make refresh-notebooks "
                    f"NB={self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path}`")
            page = f'<div class="{SNAPSHOT_CLASS}">{self.node(snapshot["snapshot"])}</div>'
            return {"output_type": "display_data", "data": {"text/html": page}, "metadata": {}}
        if PLOTLY in data:
            return {"output_type": output["output_type"], "data": {"text/html": self.figure(data[PLOTLY])},
                    "metadata": {}, **({"execution_count": output.get("execution_count")}
                                       if output["output_type"] == "execute_result" else {})}
        return output

    def node(self, node: dict | None) -> str:
        """One node of a widget snapshot as HTML (disabled controls: a static page has no kernel behind it)."""
        if not node:
            return ""
        classes = " ".join(html.escape(c) for c in ["dynalab-snap", *node.get("classes", [])])
        label = (f'<span class="dynalab-snap-label">{html.escape(node["description"])}</span>'
                 if node.get("description") else "")
        if "box" in node:
            inner = "".join(self.node(child) for child in node["children"])
            return f'<div class="{classes} dynalab-snap-{"row" if node["box"] == "row" else "column"}">{inner}</div>'
        if "outputs" in node:
            return f'<div class="{classes}">{"".join(self.inner_output(o) for o in node["outputs"])}</div>'
        if "html" in node:
            return f'<div class="{classes}">{label}<div>{node["html"]}</div></div>'
        if "label" in node:
            return f'<div class="{classes}">{label}<span>{html.escape(node["label"])}</span></div>'
        if "slider" in node:
            bounds = " ".join(f'{key}="{html.escape(str(node[key]))}"' for key in ("min", "max", "step"))
            return (f'<div class="{classes}">{label}<input type="range" {bounds} '
                    f'value="{html.escape(str(node["at"]))}" disabled>'
                    f'<span class="dynalab-snap-readout">{html.escape(node["slider"])}</span></div>')
        if "choice" in node:
            options, index = node["choice"], node.get("index")
            if node.get("style") == "toggle":
                buttons = "".join(f'<button class="dynalab-snap-toggle{" mod-active" if i == index else ""}" '
                                  f'disabled>{html.escape(o)}</button>' for i, o in enumerate(options))
                return f'<div class="{classes}">{label}{buttons}</div>'
            chosen = options[index] if isinstance(index, int) and 0 <= index < len(options) else ""
            return (f'<div class="{classes}">{label}<select disabled><option selected>{html.escape(chosen)}'
                    f'</option></select></div>')
        if "progress" in node:
            span = max(1e-9, float(node["max"]) - float(node["min"]))
            share = (float(node["progress"]) - float(node["min"])) / span
            return (f'<div class="{classes}">{label}<progress max="1" value="{share:.4f}">{share:.0%}</progress>'
                    '</div>')
        if "checkbox" in node:
            return (f'<div class="{classes}"><label><input type="checkbox" disabled'
                    f'{" checked" if node["checkbox"] else ""}> {label}</label></div>')
        if "button" in node:
            return (f'<div class="{classes}"><button class="dynalab-snap-button {html.escape(node.get("style", ""))}"'
                    f' disabled>{html.escape(node["button"])}</button></div>')
        if "text" in node:
            value = html.escape(node["text"])
            return f'<div class="{classes}">{label}<input type="text" value="{value}" disabled></div>'
        return ""

    def inner_output(self, output: dict) -> str:
        """An output an Output widget held, as HTML."""
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            text = "".join(output.get("text", ""))
            return f"<pre>{html.escape(text)}</pre>"
        if output.get("output_type") == "error":
            return f"<pre>{html.escape(output.get('ename', ''))}: {html.escape(output.get('evalue', ''))}</pre>"
        if SNAPSHOT_KEY in output.get("metadata", {}):
            return self.node(output["metadata"][SNAPSHOT_KEY].get("snapshot"))
        if PLOTLY in data:
            return self.figure(data[PLOTLY])
        if "text/html" in data:
            return "".join(data["text/html"])
        for image in ("image/svg+xml", "image/png", "image/jpeg"):
            if image in data:
                body = "".join(data[image])
                return body if image == "image/svg+xml" else f'<img src="data:{image};base64,{body.strip()}">'
        if "text/plain" in data:
            return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
        return ""


def static_notebook(path: Path):
    """The lesson as its deck shows it, from its stored outputs (nothing is executed): each plotly figure drawn by
    plotly.js, each widget as its stored snapshot. Returns the notebook and the trace types of its figures."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    renderer = _Renderer(path)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(renderer.output(output, f"cell {number}")) for output in cell.outputs]
    notebook.metadata.pop("widgets", None)  # no live widget in a deck: each is drawn from its snapshot
    return notebook, renderer.traces if renderer.figures else None


def _vendor_url(language: str) -> str:
    return "../vendor" if EDITIONS[language][1] else "vendor"  # a Japanese deck sits in ja/, beside vendor/


def _exporter(template_dir: Path, language: str = "en"):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    vendor_url = _vendor_url(language)
    config = Config()
    config.SlidesExporter.language_code = language
    config.SlidesExporter.reveal_url_prefix = f"{vendor_url}/reveal.js"
    config.SlidesExporter.reveal_theme = "white"  # `simple` pulls web fonts from the network
    config.SlidesExporter.reveal_scroll = True  # a tall code cell scrolls instead of running off the slide
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.require_js_url = f"{vendor_url}/requirejs/require.js"
    config.SlidesExporter.jquery_url = f"{vendor_url}/jquery/dist/jquery.min.js"
    config.SlidesExporter.font_awesome_url = f"{vendor_url}/font-awesome/css/font-awesome.min.css"
    config.SlidesExporter.mathjax_url = ""
    config.SlidesExporter.mermaid_js_url = ""
    config.SlidesExporter.extra_template_paths = [str(template_dir)]
    # A lesson's hidden cells (nbval's checks: a self-check's verify cell, a copy of a widget driven for nbval) are
    # left out of the deck by their tag, whatever their slide type says.
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS)
    config.SlidesExporter.template_file = "dynalab_offline.html.j2"
    return SlidesExporter(config=config)


def external_loads(page: str) -> list[str]:
    """Every resource the page would load from outside the machine (should be none)."""
    found = []
    for match in _LOADS.finditer(page):
        url = match.group(1) or match.group(2)
        if re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE):
            found.append(url)
    return found


def write_template(folder: Path) -> Path:
    """dynalab's deck template (``TEMPLATE``, with the Japanese font stack) in ``folder``; returns the folder."""
    (folder / "dynalab_offline.html.j2").write_text(TEMPLATE.replace("JAPANESE_FONTS", JAPANESE_FONTS))
    return folder


@functools.cache
def _deck_exporter(template_dir: Path, language: str):
    """One exporter per edition and process: its templates are compiled once, not once a deck."""
    return _exporter(template_dir, language)


def build_one(path: Path, out: Path, template_dir: Path) -> tuple[Path, float]:
    """Write one lesson's deck from its stored outputs (``template_dir``: ``write_template``'s folder); returns the
    deck's path and the seconds it took."""
    started = time.monotonic()
    notebook, traces = static_notebook(path)
    language = language_of(path)
    resources: dict = {"metadata": {"name": path.stem}}
    if traces is not None and traces <= CARTESIAN_TRACES:
        resources["dynalab_plotly_src"] = f"{_vendor_url(language)}/plotly/plotly-cartesian.min.js"
    elif traces is not None:
        from plotly.offline import get_plotlyjs

        resources["dynalab_plotly_js"] = get_plotlyjs()
    body, _ = _deck_exporter(template_dir, language).from_notebook_node(notebook, resources=resources)
    body = body.replace("<head>", "<head>\n" + _DIGEST_META.format(source_digest(notebook_source(path))), 1)
    body = _LESSON_LINK.sub(lambda m: f'href="{m.group(1)}.slides.html{m.group(2) or ""}"', body)
    leaks = external_loads(body)
    if leaks:
        raise SlidesBuildError(f"{path.name}: the deck would load from the network: {', '.join(sorted(set(leaks)))}")
    deck = deck_folder(out, language) / f"{path.stem}.slides.html"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(body, encoding="utf-8")
    return deck, time.monotonic() - started


#: the index page's words, per edition
_INDEX_TEXT = {
    "en": {"title": "dynalab workshop slides",
           "help": "Open a lesson; arrow keys move between slides, <kbd>s</kbd> opens the speaker notes, "
                   "<kbd>Esc</kbd> the overview. Works offline.",
           "other": '<p lang="ja"><a href="ja/index.html">日本語版のスライド</a></p>'},
    "ja": {"title": "dynalab ワークショップのスライド",
           "help": "レッスンを開いてください。矢印キーでスライドを移動し、<kbd>s</kbd> でスピーカーノート、"
                   "<kbd>Esc</kbd> で一覧を表示します。オフラインで動きます。",
           "other": '<p lang="en"><a href="../index.html">The slides in English</a></p>'},
}


def write_index(out: Path, decks: list[Path], language: str = "en") -> Path:
    """``index.html`` of one edition's decks (in ``out`` for English, ``out/ja`` for Japanese)."""
    import nbformat

    rows = []
    for deck in decks:
        stem = deck.name.removesuffix(".slides.html")
        source = EDITIONS[language][0] / f"{stem}.ipynb"
        title = stem
        if source.exists():
            first = nbformat.read(source, as_version=4).cells[0].source.splitlines()
            title = first[0].lstrip("# ").strip() if first else stem
        rows.append(f'<li><a href="{html.escape(deck.name)}">{html.escape(title)}</a></li>')
    text = _INDEX_TEXT[language]
    fonts = JAPANESE_FONTS + ", " if language == "ja" else ""
    page = (f"<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{text['title']}</title>"
            f"<style>body{{font-family:{fonts}sans-serif;max-width:40em;margin:3em auto;line-height:1.6}}</style>"
            f"</head><body><h1>{text['title']}</h1><p>{text['help']}</p>"
            f"<ol start=\"0\">{''.join(rows)}</ol>{text['other']}</body></html>\n")
    folder = deck_folder(out, language)
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def build(paths: list[Path], out: Path = DEFAULT_OUT, jobs: int = 2, prune: bool = False) -> list[Path]:
    """Build the decks for ``paths`` (lessons of either edition) into ``out``; ``prune`` removes decks of lessons
    no longer there."""
    if not paths:
        raise SlidesBuildError("no lesson notebooks found (notebooks/[0-9]*.ipynb, notebooks/ja/[0-9]*.ipynb)")
    out.mkdir(parents=True, exist_ok=True)
    vendor(out)
    decks: list[Path] = []
    with (tempfile.TemporaryDirectory(prefix="dynalab-slides-") as folder,
          ProcessPoolExecutor(max_workers=max(1, min(jobs, len(paths)))) as pool):
        template_dir = write_template(Path(folder))
        for path, (deck, seconds) in zip(paths, pool.map(build_one, paths, [out] * len(paths),
                                                         [template_dir] * len(paths)), strict=True):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name} -> "
                  f"{deck.relative_to(ROOT) if deck.is_relative_to(ROOT) else deck} ({seconds:.1f} s)", flush=True)
            decks.append(deck)
    for language in EDITIONS:
        folder = deck_folder(out, language)
        if prune:  # a lesson renamed or removed leaves no old deck behind
            known = {deck.name for deck in decks if deck.parent == folder}
            for stale in folder.glob("*.slides.html"):
                if stale.name not in known:
                    stale.unlink()
        edition_decks = sorted(folder.glob("*.slides.html"))
        if edition_decks or language == "en":
            print(f"index: {write_index(out, edition_decks, language)}")
    return decks


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to build (default: every lesson)")
    parser.add_argument("--language", choices=[*EDITIONS, "all"], default="all",
                        help="the edition(s) built when no lesson is named (default: all: English and Japanese)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/slides)")
    parser.add_argument("--jobs", type=int, default=2, help="decks built at once (default: 2)")
    parser.add_argument("--skip-without-npm", action="store_true",
                        help="exit 0 with one line when node_modules/ is missing (the test command without npm)")
    args = parser.parse_args(argv)
    if args.skip_without_npm and not (NODE_MODULES / "reveal.js").is_dir():
        print("build_slides: node_modules/ is missing (no npm): the offline decks are not built")
        return 0
    languages = list(EDITIONS) if args.language == "all" else [args.language]
    every = [path for language in languages for path in lesson_notebooks(language)]
    try:
        build([p.resolve() for p in args.notebooks] or every, args.out.resolve(), args.jobs,
              prune=not args.notebooks and args.language == "all")
    except SlidesBuildError as error:
        print(f"build_slides: {error}", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
