"""Numbers in the prose come from the cells: a hand-typed number must not contradict its cell.

The chapters hand numbers that a cell computes to the prose with myst-nb's `glue`. Nothing forces an
author to do so, and a number typed by hand goes stale the day the cell changes. This test reads every
built chapter page and applies one rule, kept simple so that a failure is easy to understand:

1. *Cell numbers* are the numbers a code cell prints in its output. The numbers written in any cell's
   source on the page are *inputs* (constants; ``1287e6`` counts as 1,287 and as 1.287e9).
2. *Typed numbers* are the numbers in a paragraph of prose (``<p>``: paragraphs, list items, figure
   captions), leaving out glued values (``span.pasted-text``), maths, code, links and citations,
   footnote marks and figure numbers. Not prose: tables, footnotes and the bibliography (sources' own
   figures), and the self-checks (tests/test_self_checks.py checks those). Also skipped: years
   (1900–2100), integers below 10, and numbers glued to letters or to a hyphenated word (``V100``,
   ``405B``, ``32-bit``).
3. A paragraph *reads* the output of the code cell just above it (for a figure's caption, its own cell)
   and the values glued into the paragraph itself.
4. A typed number *refers to* one of those cell numbers when the two lie within ``BAND`` (5 %) and the
   cell printed at least as many significant digits as the prose shows (a cell printing 1 is not the
   source of a typed 1.09).
5. A typed number *agrees* with a value if the value, rounded at the last digit the number shows, gives
   the number: 0.24 shows hundredths, 1,287 units, 300 and 2,500 hundreds (an integer's trailing zeros
   are not digits shown), so "about 300" agrees with 296.5.
6. The test fails for a typed number that refers to a cell number but agrees with none of the numbers
   the paragraph reads nor with any input: "prose says 612, nearby cell printed 634.7".

A number more than 5 % from everything the paragraph reads is taken to be about something else and is
not checked. That keeps false alarms rare (one on the whole book, listed in `ALLOWED`), at the price of
missing gross errors and numbers whose cell sits elsewhere or only glues them without printing:
replacing each glued value of the book by a hand-typed value 3 % off, this test catches about a third.
A deliberate difference (a theoretical value beside a measured one, say) goes into `ALLOWED` with its
reason; better, glue the cell's value or reword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests.conftest import HTML
from tests.test_book import toc_files

pytestmark = pytest.mark.book

BAND = 0.05
# (page, typed number as printed) -> why a difference from the nearby cell is intended
ALLOWED: dict[tuple[str, str], str] = {
    ("book/foundations/training", "1.41"): "the theoretical ratio 2/√2, printed beside the measured ratio",
}

PROSE_NUMBER = re.compile(r"(?<![\w.,^/−-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w|[.,]\d|-[A-Za-z])")
CELL_NUMBER = re.compile(r"(?<![\w.])(\d[\d,_]*(?:\.\d+)?)(?:[eE]([+-]?\d+))?")
SKIP_CLASSES = {"pasted-text", "math", "citation", "caption-number", "footnote-reference", "highlight"}
SKIP_TAGS = {"code", "pre", "a", "sup", "script", "style"}
# Bibliography, footnotes and tables (sources' own figures), self-checks (tests/test_self_checks.py)
NOT_PROSE = {"citation", "footnote", "footnote-list", "exercise", "solution", "table"}


@dataclass
class Finding:
    page: str
    typed: str
    cell: float
    context: str

    def __str__(self) -> str:
        return f"{self.page}: prose says {self.typed}, nearby cell printed {self.cell:g}: …{self.context}…"


@dataclass
class Block:
    kind: str  # "prose" or "cell"
    text: str = ""
    glued: list[tuple[float, int]] = field(default_factory=list)  # (value, significant digits)
    outputs: list[tuple[float, int]] = field(default_factory=list)
    inputs: list[tuple[float, int]] = field(default_factory=list)


def cell_numbers(text: str, with_mantissas: bool = False) -> list[tuple[float, int]]:
    """Every number in a cell's text with the digits it shows; `with_mantissas` adds 1287 for `1287e6`."""
    values = []
    for digits, exponent in CELL_NUMBER.findall(text):
        try:
            mantissa = float(digits.replace(",", "").replace("_", ""))
        except ValueError:
            continue
        shown = significant_digits(digits)
        values.append((mantissa * 10 ** int(exponent) if exponent else mantissa, shown))
        if exponent and with_mantissas:
            values.append((mantissa, shown))
    return values


def significant_digits(number: str) -> int:
    """Digits a number shows: 0.240 -> 3, 1,287 -> 4, 2,500 -> 2 (an integer's trailing zeros are not shown)."""
    whole, _, decimals = number.replace(",", "").replace("_", "").partition(".")
    digits = (whole + decimals).lstrip("0") if decimals else whole.lstrip("0").rstrip("0")
    return max(len(digits), 1)


def shown_step(typed: str) -> float:
    """The place of the last digit a typed number shows: 0.24 -> 0.01, 1,287 -> 1, 2,500 -> 100."""
    whole, _, decimals = typed.replace(",", "").partition(".")
    if decimals:
        return 10.0 ** -len(decimals)
    return 10.0 ** (len(whole) - len(whole.rstrip("0"))) if whole.strip("0") else 1.0


def agrees(typed: str, value: float) -> bool:
    number = float(typed.replace(",", ""))
    return abs(abs(value) - number) <= shown_step(typed) / 2 * (1 + 1e-9)


def refers(typed: str, value: float, shown: int) -> bool:
    """Within BAND of the typed number, and printed with at least as many digits as the prose shows."""
    number = float(typed.replace(",", ""))
    return number > 0 and abs(abs(value) - number) <= BAND * number and shown >= significant_digits(typed)


def typed_numbers(text: str) -> list[str]:
    found = []
    for whole, decimals in PROSE_NUMBER.findall(text):
        typed = whole + decimals
        if not decimals and "," not in whole and (int(whole) < 10 or 1900 <= int(whole) <= 2100):
            continue
        found.append(typed)
    return found


def _prose_text(element) -> str:
    """The paragraph's own words: everything but glued values, maths, code, links and citations."""
    from bs4 import NavigableString

    parts = []
    for node in element.descendants:
        if not isinstance(node, NavigableString) or node.__class__.__name__ != "NavigableString":
            continue
        skip = False
        for parent in node.parents:
            if parent is element:
                break
            if parent.name in SKIP_TAGS or SKIP_CLASSES & set(parent.get("class") or []):
                skip = True
                break
        if not skip:
            parts.append(str(node))
    return " ".join(" ".join(parts).split())


def _text_outside_captions(element) -> str:
    return " ".join(str(s) for s in element.find_all(string=True) if not s.find_parent("figcaption"))


def page_blocks(html: str) -> list[Block]:
    """The page's code cells and prose paragraphs, in reading order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("main", id="main-content") or soup
    blocks = []
    for element in body.find_all(["div", "p"]):
        if element.name == "div" and "cell" in (element.get("class") or []):
            output = " ".join(_text_outside_captions(o) for o in element.select(".cell_output"))
            source = " ".join(i.get_text(" ") for i in element.select(".cell_input"))
            blocks.append(Block("cell", outputs=cell_numbers(output), inputs=cell_numbers(source, True)))
        elif element.name == "p":
            in_cell = element.find_parent(class_=["cell_input", "cell_output"])
            if in_cell and not element.find_parent("figcaption"):
                continue  # text printed by a cell, not prose; a figure's caption is prose
            if element.find_parent(class_=sorted(NOT_PROSE)):
                continue
            glued = [n for span in element.select(".pasted-text") for n in cell_numbers(span.get_text())]
            blocks.append(Block("prose", text=_prose_text(element), glued=glued))
    return blocks


def disagreements(page: str, html: str) -> list[Finding]:
    """Typed numbers that refer to the cell output above them but agree with none of its numbers."""
    blocks = page_blocks(html)
    constants = {v for b in blocks if b.kind == "cell" for v, _ in b.inputs}
    findings, above = [], None
    for block in blocks:
        if block.kind == "cell":
            above = block
            continue
        outputs = block.glued + (above.outputs if above else [])
        for typed in typed_numbers(block.text):
            near = [v for v, shown in outputs if refers(typed, v, shown)]
            if not near or (page, typed) in ALLOWED:
                continue
            if any(agrees(typed, v) for v in [*(v for v, _ in outputs), *constants]):
                continue
            closest = min(near, key=lambda v: abs(abs(v) - float(typed.replace(",", ""))))
            at = block.text.find(typed)
            findings.append(Finding(page, typed, closest, block.text[max(0, at - 60) : at + 40]))
    return findings


PLANTED = """<main id="main-content"><article>
<div class="cell docutils container"><div class="cell_input docutils container"><pre>
energy = 1287e6 * 3600 / 7.3e9</pre></div>
<div class="cell_output docutils container"><pre>joules per prompt: 634.7
speed-up: 3.46x</pre></div></div>
<p>One prompt costs about 635 J, a speed-up of 3.5 times, and GPT-3 used 1,287 MWh.</p>
<p>The cell shows a speed-up of <span class="pasted-text">3.46</span>, so the run is 4.1 times faster,
as <span class="math notranslate nohighlight">\\(3.9 \\times 1\\)</span> shows in 2021 on 8 GPUs.</p>
</article></main>"""


def test_the_checker_catches_a_number_that_disagrees_with_its_cell():
    # As planted, every typed number agrees: 635 is 634.7 and 3.5 is 3.46 at the digits shown, 1,287 is
    # an input of the cell, 4.1 is more than 10 % from every output, and maths and years are skipped.
    assert disagreements("planted", PLANTED) == []
    wrong = PLANTED.replace("about 635 J", "about 612 J").replace("3.5 times", "3.6 times")
    findings = disagreements("planted", wrong)
    assert [(f.typed, f.cell) for f in findings] == [("612", 634.7), ("3.6", 3.46)], findings
    assert "prose says 612, nearby cell printed 634.7" in str(findings[0])


def test_the_checker_reads_digits_shown():
    assert shown_step("0.24") == 0.01 and shown_step("1,287") == 1 and shown_step("2,500") == 100
    assert agrees("300", 296.5) and agrees("0.24", 0.2449) and not agrees("0.24", 0.2451)
    assert typed_numbers("In 2021, 8 GPUs on a V100 ran 16 times 2,048 steps at 0.5 W") == ["16", "2,048", "0.5"]


@pytest.mark.parametrize("page", [p for p in toc_files() if p.startswith("book/") and "/exercises/" not in p])
def test_typed_numbers_agree_with_the_cells_beside_them(build, page):
    assert build.returncode == 0
    html = (HTML / f"{page}.html").read_text(encoding="utf-8")
    findings = disagreements(page, html)
    assert not findings, "hand-typed numbers disagree with their cells (glue them):\n" + "\n".join(map(str, findings))
