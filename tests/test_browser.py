"""The built book in a real browser: headless Debian Chromium driven by Playwright.

Every page must load without console errors, typeset its math with the bundled MathJax, load every
image, and carry its launch buttons; the search page must find chapter terms. Screenshots of a few
pages are kept in _build/screenshots for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from tests.conftest import HTML, ROOT
from tests.test_book import toc_files

pytestmark = pytest.mark.book
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "_build" / "screenshots"
SEARCH_TERMS = ["perceptron", "backpropagation", "roofline", "attention"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by requirements-test.txt")
if not shutil.which(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(build):
    """The built HTML served on loopback, as `python -m http.server` would serve it."""
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: Chromium's own sandbox refuses to start as root, which CI runs as.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, url: str):
    """A fresh page at URL with every console error and failed request collected."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed request {request.url}"))
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("doc", toc_files())
def test_page_loads_typesets_math_and_shows_every_image(site, browser, doc):
    page, errors = open_page(browser, f"{site}/{doc}.html")
    try:
        math = page.locator(".math").count()
        if math:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
            page.evaluate("() => MathJax.startup.promise")
            assert page.locator("mjx-container").count() >= math, f"{doc}: MathJax typeset too few formulas"
            assert not page.locator(".math:not(:has(mjx-container))").count(), f"{doc}: raw LaTeX left on the page"
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"{doc}: images that did not load: {broken}"
        if (ROOT / f"{doc}.ipynb").exists():
            assert page.locator('a[href*="colab.research.google.com"]').count(), f"{doc}: no Colab launch button"
        if doc.endswith(("neuron", "a1_neurons", "intro")):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{doc.replace('/', '_')}.png"), full_page=False)
        assert not errors, f"{doc}: browser console errors: {errors}"
    finally:
        page.close()


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_chapter_terms(site, browser, term):
    page, errors = open_page(browser, f"{site}/search.html?q={term}")
    try:
        page.wait_for_selector("#search-results li", timeout=30_000)
        assert page.locator("#search-results li").count() >= 1
        assert not errors, errors
    finally:
        page.close()
