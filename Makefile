# The two set-up commands of the README: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: book test lint release validate notebooks clean

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-test.txt $(VENV)/.deps
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

## book: build the HTML book into _build/html, executing every chapter (cached by jupyter-cache)
book: $(VENV)/.deps
	$(BIN)/jupyter-book build . --warningiserror --keep-going

## test: install the test tools and run the whole test suite (it builds the book too)
test: $(VENV)/.test-deps
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
	rm -rf _build
