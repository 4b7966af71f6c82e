"""Render every lesson to reveal.js slides that work offline, from ``file://``: ``python tools/build_slides.py``.

    python tools/build_slides.py [notebooks/01_capacity_units.ipynb ...] [--language en|ja|all] [--out build/slides]
                                 [--jobs 2]

Output: ``build/slides/`` holds one ``NN_name.slides.html`` per English lesson (``notebooks/``), an ``index.html``
listing them, ``ja/`` with the Japanese edition's decks (``notebooks/ja/``, ``<html lang="ja">``, their own
``ja/index.html``), and ``vendor/`` with every script and style sheet the decks of both editions load. Copy the folder
to a USB stick and open ``index.html``: nothing is fetched from the network.

How (a recipe measured on this project's machines):

* Each lesson is executed afresh in a new kernel with ``DYNALAB_SLIDES=1`` (lesson widgets display a static
  ``go.Figure`` of their state instead of a FigureWidget, which cannot draw in a static page) and
  ``PLOTLY_RENDERER=notebook`` (plotly.js inlined once per deck and figures drawn by it; the kernel default
  ``plotly_mimetype`` is not rendered by a static page). The notebooks in ``notebooks/`` are not modified.
* reveal.js, require.js, jQuery, @jupyter-widgets/html-manager and font-awesome are copied from ``node_modules/``
  (package.json pins them) into ``vendor/`` at build time, and the SlidesExporter's URLs point there.
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
import html
import json
import os
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
    "html-manager": ("@jupyter-widgets/html-manager", ("dist",)),
    "font-awesome": ("font-awesome", ("css", "fonts")),
}
#: files inside the vendored folders that the decks never load (source maps, the non-AMD widget bundle)
_SKIP_PATTERNS = ("*.map", "embed.js", "embed.js.LICENSE.txt", "reveal.esm.js")

TEMPLATE = r"""{%- extends 'reveal/index.html.j2' -%}
{# dynalab's offline deck: no mermaid, no MathJax (neither has an offline copy); everything else as nbconvert's. #}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
<style>
/* A Japanese deck (html lang="ja"): the system's Japanese fonts, for reveal's text and the cells' alike. */
:root:lang(ja) { --r-main-font: JAPANESE_FONTS; --r-heading-font: JAPANESE_FONTS;
                 --jp-content-font-family: JAPANESE_FONTS; --jp-ui-font-family: JAPANESE_FONTS; }
</style>
{%- endblock html_head_css -%}
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

# plotly's `notebook` renderer adds a MathJax config that may name a CDN; offline there is no MathJax at all.
_PLOTLY_MATHJAX = re.compile(r'<script[^>]*src="https?://[^"]*mathjax[^"]*"[^>]*>\s*</script>', re.IGNORECASE)
# Resources a page loads: a <script src>, a <link href>, an <img src> (links a reader clicks are not loads).
_LOADS = re.compile(r'<(?:script|img|iframe)\b[^>]*\bsrc=["\']([^"\']+)["\']|<link\b[^>]*\bhref=["\']([^"\']+)["\']',
                    re.IGNORECASE)
_LESSON_LINK = re.compile(r'href="(\d\d_[A-Za-z0-9_]+)\.ipynb(#[^"]*)?"')
#: tags of the cells a lesson hides from the learner and the slides (collapsed in JupyterLab, checked by nbval)
HIDDEN_CELL_TAGS = ("remove-cell",)


def source_digest(notebook) -> str:
    """A fingerprint of what a deck is built from: the cells' sources and slide metadata (not their stored
    outputs: the deck executes the lesson afresh). A deck whose fingerprint differs from its notebook's is stale."""
    import hashlib

    digest = hashlib.sha256()
    for cell in notebook.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "")
        digest.update(json.dumps([cell.cell_type, kind, cell.source]).encode())
    return digest.hexdigest()[:16]


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


def _execute(path: Path) -> object:
    """Run the lesson in a new kernel as the slides need it; returns the executed notebook (not written back)."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.pop("DYNALAB_ENDPOINT", None)  # the decks show the embedded engine, like the stored outputs
    os.environ["DYNALAB_SLIDES"] = "1"
    os.environ["PLOTLY_RENDERER"] = "notebook"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


def prune_widget_state(notebook) -> None:
    """Keep only the widget models the outputs display (and the models they refer to).

    The kernel also creates models it never displays (a lesson widget's FigureWidget, while the slides show a
    static figure of it): the page would try to load their JavaScript modules from a CDN, and they weigh
    megabytes.
    """
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if not state:
        notebook.metadata.pop("widgets", None)
        return
    models = state.get("state", {})
    wanted = [output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
              for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", [])
              if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    keep: set[str] = set()
    while wanted:
        model_id = wanted.pop()
        if model_id in keep or model_id not in models:
            continue
        keep.add(model_id)
        wanted += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(models[model_id]))
    if keep:
        state["state"] = {model_id: models[model_id] for model_id in keep}
    else:
        notebook.metadata.pop("widgets", None)


def _exporter(template_dir: Path, language: str = "en"):
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    vendor_url = "../vendor" if EDITIONS[language][1] else "vendor"  # a Japanese deck sits in ja/, beside vendor/
    config = Config()
    config.SlidesExporter.language_code = language
    config.SlidesExporter.reveal_url_prefix = f"{vendor_url}/reveal.js"
    config.SlidesExporter.reveal_theme = "white"  # `simple` pulls web fonts from the network
    config.SlidesExporter.reveal_scroll = True  # a tall code cell scrolls instead of running off the slide
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.require_js_url = f"{vendor_url}/requirejs/require.js"
    config.SlidesExporter.jquery_url = f"{vendor_url}/jquery/dist/jquery.min.js"
    config.SlidesExporter.font_awesome_url = f"{vendor_url}/font-awesome/css/font-awesome.min.css"
    config.SlidesExporter.widget_renderer_url = f"{vendor_url}/html-manager/dist/embed-amd.js"
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


def build_one(path: Path, out: Path) -> tuple[Path, float]:
    """Execute one lesson and write its deck; returns the deck's path and the seconds it took."""
    from nbclient.exceptions import CellExecutionError

    started = time.monotonic()
    try:
        notebook = _execute(path)
    except CellExecutionError as error:
        lines = str(error).splitlines()  # "An error occurred ...", "-----", the cell's source, "-----", ...
        where = lines[2] if len(lines) > 2 else ""
        raise SlidesBuildError(f"{path.name}: a cell failed while executing it for the slides "
                               f"({error.ename}: {error.evalue}); first line of the cell: {where!r}") from None
    prune_widget_state(notebook)
    language = language_of(path)
    with tempfile.TemporaryDirectory(prefix="dynalab-slides-") as template_dir:
        (Path(template_dir) / "dynalab_offline.html.j2").write_text(TEMPLATE.replace("JAPANESE_FONTS", JAPANESE_FONTS))
        body, _ = _exporter(Path(template_dir), language).from_notebook_node(
            notebook, resources={"metadata": {"name": path.stem}})
    body = body.replace("<head>", "<head>\n" + _DIGEST_META.format(source_digest(notebook)), 1)
    body = _PLOTLY_MATHJAX.sub("", body)
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
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(paths)))) as pool:
        for path, (deck, seconds) in zip(paths, pool.map(build_one, paths, [out] * len(paths)), strict=True):
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
    parser.add_argument("--jobs", type=int, default=2, help="lessons executed at once (default: 2)")
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
