"""Integration: build the Jupyter Book and check what readers get, and what they must never get."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from autograder import cells
from autograder.course import COURSE_DIR, assignment_names, find_assignment
from tests.conftest import HTML, ROOT

pytestmark = pytest.mark.book


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def notebook_pages() -> list[Path]:
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def test_book_builds_without_warnings_or_cell_errors(build):
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-3000:]
    assert not re.search(r"WARNING: ", log), log[-3000:]  # Sphinx warnings, not kernel log lines
    assert not (HTML / "reports").exists(), "execution reports mean a cell failed"
    for page in toc_files():
        assert (HTML / f"{page}.html").is_file(), f"{page} was not built"


def test_math_renders_offline_with_the_bundled_mathjax(build):
    assert build.returncode == 0
    page = (HTML / "book" / "foundations" / "neuron.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page, flags=re.I)
    assert scripts and all(not s.startswith(("http:", "https:", "//")) for s in scripts), scripts
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert (HTML / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def prose_words(nb) -> int:
    """Words in markdown cells, without code blocks, directive options or LaTeX."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = text.replace("\\$", " ")  # an escaped dollar is a price, not the start of LaTeX
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"^\s*:[a-z]+:.*$", " ", text, flags=re.M)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


@pytest.mark.parametrize("page", [p.relative_to(ROOT).as_posix() for p in notebook_pages()])
def test_chapter_meets_the_standard(build, page):
    """The writing guide's chapter standard, checked in the notebook and in the built page."""
    assert build.returncode == 0
    notebook = ROOT / page
    nb = nbformat.read(notebook, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    html = (HTML / notebook.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{page} is committed with outputs"
    assert 1500 <= prose_words(nb) <= 4000, f"{page}: {prose_words(nb)} words of prose"
    assert "Learning objectives" in markdown
    code_cells = sum(c.cell_type == "code" for c in nb.cells)
    assert code_cells >= 3 and html.count('class="cell_output') >= 3, f"{page}: {code_cells} code cells"
    assert html.count('src="../../_images/') >= 2, f"{page}: fewer than 2 generated figures"
    assert html.count('class="citation"') >= 3, f"{page}: fewer than 3 references in its bibliography"
    assert markdown.count(":::{exercise}") >= 3 and markdown.count(":class: dropdown") >= 3, f"{page}: self-check"
    assert "## Where this leads" in markdown and "```{bibliography}" in markdown
    assert "colab.research.google.com/github/" in html and f"/{page}" in html, f"{page}: no Colab link to itself"


def _secret_cells() -> dict[str, set[str]]:
    """The distinctive lines of every solution and hidden test in exercises/source/, cell by cell."""
    secrets = {}
    for name in assignment_names(COURSE_DIR):
        nb = nbformat.read(find_assignment(name).source, as_version=4)
        for cell in nb.cells:
            text = cell.source
            if cells.is_test(cell) and "BEGIN HIDDEN TESTS" in text:
                text = text.split("### BEGIN HIDDEN TESTS", 1)[1]
            elif "BEGIN SOLUTION" in text:
                text = "\n".join(re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, re.S))
            else:
                continue
            lines = {line.strip() for line in text.splitlines() if len(line.strip()) >= 25}
            if lines:
                secrets[f"{name}:{cells.grade_id(cell)}"] = lines
    return secrets


def leaked_cells(text: str, secrets: dict[str, set[str]]) -> list[str]:
    """Secret cells that a page reproduces: half or more of their distinctive lines.

    Half, not one line, because a lone idiom such as `rng = np.random.default_rng(seed)` belongs
    to every chapter as much as to a hidden test; a pasted solution brings its neighbours along.
    """
    return [cell for cell, lines in secrets.items() if 2 * sum(line in text for line in lines) >= len(lines)]


def test_leak_check_catches_a_pasted_solution():
    secrets = _secret_cells()
    cell, lines = next(iter(secrets.items()))
    assert leaked_cells("<pre>" + "\n".join(sorted(lines)) + "</pre>", secrets) == [cell]
    assert leaked_cells("rng = np.random.default_rng(seed)", secrets) == []


def test_no_solution_or_hidden_test_reaches_the_site(build):
    assert build.returncode == 0
    secrets = _secret_cells()
    assert sum(map(len, secrets.values())) > 20  # the check must have something to look for
    for path in HTML.rglob("*"):
        if path.is_dir():
            continue
        assert "exercises/source" not in str(path.relative_to(HTML))
        if path.suffix not in {".html", ".txt", ".js", ".ipynb", ".md", ".json"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
            assert marker not in text, f"{path} contains {marker}"
        leaked = leaked_cells(text, secrets)
        assert not leaked, f"{path} reproduces secret cells: {leaked}"


def test_colab_links_open_notebooks_that_exist(build):
    assert build.returncode == 0
    pattern = re.compile(r"https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/([^\"'<>\s]+)")
    targets = set()
    for page in HTML.rglob("*.html"):
        targets |= set(pattern.findall(page.read_text(encoding="utf-8")))
    assert "exercises/release/a1_neurons/a1_neurons.ipynb" in targets
    assert "book/foundations/neuron.ipynb" in targets
    for target in targets:
        assert target.endswith(".ipynb") and (ROOT / target).is_file(), f"Colab link to a missing notebook: {target}"
        assert not target.startswith("exercises/source"), "a Colab link opens the instructor's source"


def test_chapters_are_paired_with_their_markdown(build):
    import jupytext

    for notebook in notebook_pages():
        twin = notebook.with_suffix(".md")
        assert twin.exists(), f"{notebook} has no paired MyST markdown"
        from_md = jupytext.read(twin)
        from_ipynb = nbformat.read(notebook, as_version=4)
        assert [(c.cell_type, c.source) for c in from_md.cells] == [
            (c.cell_type, c.source) for c in from_ipynb.cells
        ], f"{notebook.name} is out of sync with {twin.name}: run `make notebooks`"


def chapter_pages() -> list[Path]:
    return [HTML / f"{f}.html" for f in toc_files()]


def test_every_figure_has_alt_text(build):
    assert build.returncode == 0
    for page in chapter_pages():
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), f"{page.name}: image without alt text: {tag[:120]}"
            assert not alt.group(1).endswith((".png", ".svg", ".jpg")), (
                f"{page.name}: alt text is a file name: {tag[:120]}"
            )


def test_headings_never_skip_a_level(build):
    assert build.returncode == 0
    for page in chapter_pages():
        html = page.read_text(encoding="utf-8")
        main = html[html.find('<main id="main-content"') :]
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", main)]
        assert levels and levels[0] == 1, f"{page.name}: the first heading is not h1"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{page.name}: h{before} followed by h{after}"


def test_every_internal_link_and_anchor_resolves(build):
    """Relative links point at files of the site, and #anchors at ids on the target page."""
    assert build.returncode == 0
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
        return ids[page]

    checked, external = 0, set()
    for page in HTML.rglob("*.html"):
        if "_static" in page.parts or "_sources" in page.parts:
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "javascript:")):
                external.add(href)  # listed, not fetched: the build machine has no network
                continue
            path, _, anchor = href.partition("#")
            target = (page.parent / path.split("?")[0]).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(HTML)}: broken link {href}"
            if anchor and target.suffix == ".html":
                assert anchor in anchors(target), f"{page.relative_to(HTML)}: no #{anchor} in {target.name}"
            checked += 1
    assert checked > 100
    print(f"\n{checked} internal links checked; {len(external)} external links listed, not fetched")


COLOUR_MAP = re.compile(
    r"""cmap\s*=\s*["'](\w+)["']|get_cmap\(\s*["'](\w+)["']|colormaps\[\s*["'](\w+)["']|\bcm\.(\w+)\b"""
)


def colour_maps_used() -> set[str]:
    """Every colour map named in the chapters' and assignments' code."""
    names = set()
    for page in [*notebook_pages(), *(find_assignment(n).source for n in assignment_names(COURSE_DIR))]:
        code = "\n".join(c.source for c in nbformat.read(page, as_version=4).cells if c.cell_type == "code")
        names |= {next(g for g in match if g) for match in COLOUR_MAP.findall(code)}
    return names


def reads_in_greyscale(name: str) -> bool:
    """True when the map's lightness (the luma a greyscale print shows) runs one way end to end."""
    import matplotlib
    import numpy as np

    rgb = matplotlib.colormaps[name](np.linspace(0, 1, 64))[:, :3]
    steps = np.diff(rgb @ np.array([0.299, 0.587, 0.114]))
    return bool(np.all(steps >= -1e-3) or np.all(steps <= 1e-3))


def test_colour_maps_read_in_greyscale():
    assert reads_in_greyscale("cividis") and not reads_in_greyscale("jet")  # the check tells them apart
    used = colour_maps_used()
    assert used, "no colour map found: the pattern has gone stale"
    assert not [name for name in used if not reads_in_greyscale(name)]


def test_bibliography_labels_are_unique_across_chapters(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("unique_labels", ROOT / "book" / "_ext" / "unique_labels.py")
    unique_labels = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(unique_labels)
    twins = tmp_path / "twins.bib"
    twins.write_text(
        "@misc{b_sheet, author = {{ACME Corp}}, title = {Sheet}, year = {2022}}\n"
        "@misc{a_paper, author = {{ACME Corp}}, title = {Paper}, year = {2022}}\n"
        "@misc{solo, author = {Doe, Jane}, title = {Solo}, year = {2020}}\n"
    )
    labels = unique_labels.compute_labels([twins])
    assert labels["a_paper"] != labels["b_sheet"] and labels["a_paper"].endswith("a"), labels
    assert labels["solo"] == "Doe20"
    book = unique_labels.compute_labels([ROOT / "book" / "references.bib"])
    assert len(set(book.values())) == len(book)
