# Tinct — the two commands that matter:
#   make run    install what is missing, build release, serve http://127.0.0.1:8080
#   make test   install what is missing, run every test
SHELL := /bin/bash
APT_PACKAGES := libpng-dev libjpeg62-turbo-dev libopenblas-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8080
TINCT := .build/release/tinct

.PHONY: run test test-browser latency deps build bench bench-torch fixtures clean

## Install the Debian packages Tinct links against, only those missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

build: deps
	swift build -c release --product tinct

run: build
	$(TINCT) serve --host $(HOST) --port $(PORT)

## Every test: the browser suites first (they need the release build), then all Swift suites.
test: deps
	$(MAKE) test-browser
	swift test

## The editor and the training dashboard end to end in headless Chromium (Debian's chromium
## + Playwright from PyPI in .venv); screenshots and the downloaded result land in test-artifacts/.
test-browser: build
	@[ -x /usr/lib/chromium/chromium ] || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	@.venv/bin/python -c "import playwright" 2>/dev/null || .venv/bin/pip install -q playwright
	.venv/bin/python Tests/Browser/test_editor.py
	.venv/bin/python Tests/Browser/test_dashboard.py

## The editor's live-preview round trip with models/default-lineart (p50/p95, printed, never asserted).
latency: build
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	@.venv/bin/python -c "import playwright" 2>/dev/null || .venv/bin/pip install -q playwright
	.venv/bin/python Tests/Browser/measure_latency.py

## Tinct's benchmark (release build), one JSON line per configuration.
bench: build
	$(TINCT) bench

## The PyTorch reference on the same machine (needs a venv with torch: make venv-torch).
bench-torch: .venv/bin/python
	.venv/bin/python ../shared/bench/torch_pix2pix.py

.venv/bin/python:
	python3 -m venv .venv && .venv/bin/pip install -q torch safetensors numpy

## Regenerate the PyTorch reference fixtures used by the tests.
fixtures: .venv/bin/python
	.venv/bin/python scripts/make_fixtures.py

clean:
	rm -rf .build
