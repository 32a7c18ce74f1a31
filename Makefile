# The two set-up commands of the README: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: book test lint release validate notebooks clean

# The autograder is installed editable, so `python -m autograder` runs from any folder and Dask workers
# started from this environment can import it; the checkout stays the source of truth.
$(VENV)/.deps: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.test-deps: requirements-test.txt requirements-dask.txt $(VENV)/.deps
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

## book: build the HTML book into _build/html, executing every chapter (cached by jupyter-cache)
book: $(VENV)/.deps book/_static/mathjax/tex-chtml.js
	@-$(BIN)/python book/_ext/fork_note.py  # a note when origin is a fork that the Colab links do not name yet
	$(BIN)/jupyter-book build . --warningiserror --keep-going

## test: install the test tools and run the whole test suite (it builds the book too)
test: $(VENV)/.test-deps book/_static/mathjax/tex-chtml.js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

## notebooks: regenerate every chapter .ipynb from its paired MyST .md (jupytext)
notebooks: $(VENV)/.deps
	$(BIN)/jupytext --sync book/*/*.md

release: $(VENV)/.deps
	$(BIN)/python -m autograder release

validate: $(VENV)/.deps
	$(BIN)/python -m autograder validate

clean:
	rm -rf _build .cache book/_static/mathjax

## book/_static/mathjax: MathJax 3 from the npm registry, bundled so the book renders math offline
MATHJAX_VERSION := 3.2.2
book/_static/mathjax/tex-chtml.js:
	mkdir -p .cache/npm book/_static/mathjax
	npm install --silent --no-audit --no-fund --prefix .cache/npm mathjax@$(MATHJAX_VERSION)
	cd .cache/npm/node_modules/mathjax/es5 && cp -r tex-chtml.js a11y ui input output $(CURDIR)/book/_static/mathjax/
