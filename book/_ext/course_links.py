"""Sphinx extension for the course: {colab} links, and paired notebooks built once.

- The ``colab`` role turns a repository path into an "Open in Colab" link. The URL comes from the
  repository settings in _config.yml, so the repository is named in one place only. A path that
  does not exist in the repository is a build warning (an error under -W).
- A chapter authored as MyST markdown is paired by jupytext with an .ipynb of the same name. The
  .ipynb is what the book builds and what Colab opens, so its markdown twin is excluded.
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


def exclude_paired_markdown(app, config) -> None:
    """Exclude book/**/X.md when book/**/X.ipynb exists: the notebook is the page."""
    root = Path(app.srcdir)
    for notebook in (root / "book").rglob("*.ipynb"):
        twin = notebook.with_suffix(".md")
        if twin.exists() and ".ipynb_checkpoints" not in notebook.parts:
            config.exclude_patterns.append(str(twin.relative_to(root)))


def setup(app):
    app.add_role("colab", colab_role)
    app.connect("config-inited", exclude_paired_markdown)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
