"""Sphinx extension for the course: {colab} links, and clean pages.

- The ``colab`` role turns a repository path into an "Open in Colab" link. The URL comes from the
  repository settings in _config.yml, so the repository is named in one place only. A path that
  does not exist in the repository is a build warning (an error under -W).
- sphinx-thebe registers its inline configuration script twice, and the browser reports the second
  ``const`` as an error on every page, so identical scripts are kept once.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
COLAB = "https://colab.research.google.com/github"


def _repository(config) -> tuple[str, str]:
    options = config.html_theme_options or {}
    url = options.get("repository_url", "").rstrip("/")
    if not url.startswith("https://github.com/"):
        raise ValueError("repository.url in _config.yml must be a https://github.com/ URL for Colab links")
    return url.removeprefix("https://github.com/"), options.get("repository_branch", "main")


def colab_url(config, path: str) -> str:
    """The Colab URL that opens PATH (relative to the repository root) from GitHub."""
    repo, branch = _repository(config)
    return f"{COLAB}/{repo}/blob/{branch}/{path.lstrip('/')}"


def colab_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    path = text.strip()
    if not (Path(env.srcdir) / path).is_file():
        logger.warning(f"colab link to a file that is not in the repository: {path}", location=(env.docname, lineno))
    if not path.endswith(".ipynb"):
        logger.warning(f"colab links must name an .ipynb file, got {path}", location=(env.docname, lineno))
    link = nodes.reference(rawtext, "Open in Colab", refuri=colab_url(env.config, path), classes=["colab-link"])
    return [link], []


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Keep the first of identical <script> entries (same file, same inline body)."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # An inline script registered once with filename None and once with "" is the same script.
        key = (getattr(script, "filename", str(script)) or "", str(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"][:] = kept  # in place: later handlers (MathJax) append to this same list


def setup(app):
    app.add_role("colab", colab_role)
    app.connect(
        "html-page-context", drop_duplicate_scripts, priority=100
    )  # before any handler that returns a template and ends the event
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
