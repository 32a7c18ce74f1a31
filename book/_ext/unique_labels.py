"""Sphinx extension: bibliography labels that are unique across the whole book.

Each chapter prints its own reference list. pybtex's "alpha" labels (such as ``Amd67``) are made
unique only within one list, so two sources with the same author and year, cited in different
chapters, both get ``NVIDIACorporation22``, and Sphinx warns about a duplicate label. This style
computes the labels once for every entry of the bibliography files and adds a, b, ... in key order
where they collide, so a source has the same label in every chapter.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pybtex.database import parse_file
from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels.alpha import LabelStyle as AlphaLabelStyle

_LABELS: dict[str, str] = {}


class BookUniqueLabelStyle(AlphaLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield _LABELS.get(entry.key) or self.format_label(entry)


class BookAlphaStyle(AlphaStyle):
    default_label_style = "book_unique"


def compute_labels(bibfiles: list[Path]) -> dict[str, str]:
    """Alpha label of every entry, with a suffix where two keys share one."""
    style, by_label = AlphaLabelStyle(), defaultdict(list)
    for bibfile in bibfiles:
        for key, entry in parse_file(str(bibfile)).entries.items():
            by_label[style.format_label(entry)].append(key)
    labels = {}
    for label, keys in by_label.items():
        for i, key in enumerate(sorted(keys)):
            labels[key] = label if len(keys) == 1 else label + chr(ord("a") + i)
    return labels


def _load(app) -> None:
    _LABELS.clear()
    _LABELS.update(compute_labels([Path(app.srcdir) / f for f in app.config.bibtex_bibfiles]))


def setup(app):
    register_plugin("pybtex.style.labels", "book_unique", BookUniqueLabelStyle)
    register_plugin("pybtex.style.formatting", "book_alpha", BookAlphaStyle)
    app.connect("builder-inited", _load)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
