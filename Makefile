# Tinct — the two commands that matter:
#   make run    install what is missing, build release, serve http://127.0.0.1:8080
#   make test   install what is missing, run every test
SHELL := /bin/bash
APT_PACKAGES := libpng-dev libjpeg62-turbo-dev libopenblas-dev zlib1g-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8080
TINCT := .build/release/tinct
## The Swift toolchain's clang (it ships libFuzzer and the sanitizers); plain clang otherwise.
CLANG ?= $(shell c="$$(dirname "$$(readlink -f "$$(command -v swift)")")/clang"; [ -x "$$c" ] && echo "$$c" || echo clang)
FUZZ_SECONDS ?= 60
## Any single allocation above this fails the fuzz run: the largest legitimate one (4 M pixels
## of RGBA, as the harness allows) is 16 MiB, so a bigger one means input-controlled memory.
FUZZ_MALLOC_MB ?= 256
FUZZ_DIR := .build/fuzz
CODEC_CORPUS := Tests/ImageCodecsTests/Fixtures

.PHONY: run test format format-check test-browser test-interop test-mpi test-numerics latency deps build bench bench-torch fixtures clean fuzz install

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

## Every test: the browser suites first (they need the release build), then all Swift suites,
## the numerical suites again under other summation orders, then a bounded fuzzing run of the
## image decoders (about 80 s).
test: deps
	$(MAKE) format-check
	$(MAKE) test-browser
	$(MAKE) test-interop
	$(MAKE) test-mpi
	swift test
	$(MAKE) test-numerics
	$(MAKE) fuzz

## swift-format (it ships with the Swift toolchain) under the committed .swift-format: `make
## format` rewrites every tracked Swift file but the generated ONNX code; `make format-check`,
## the first step of `make test`, fails on any file `make format` would change.
SWIFT_SOURCES = $(shell git ls-files '*.swift' | grep -v '/Generated/')
format:
	@swift format --in-place $(SWIFT_SOURCES)

format-check:
	@swift format lint --strict $(SWIFT_SOURCES) && echo "swift-format: all $(words $(SWIFT_SOURCES)) Swift files as make format leaves them"

## OpenBLAS picks its kernel per processor, so the last bits of every product — and anything a
## test derives from them — differ between machines. This runs the numerical suites again with
## the products from the naive twin (Double sums; Float sums in reverse order) and with loops
## and products split over 1 or 3 workers instead of one per core (see
## Sources/Tensors/NumericsEnvironment.swift), so a tolerance that holds for one kernel only
## fails here, not on a newcomer's machine. About 2.5 minutes after `swift test` has built.
NUMERIC_SUITES := TensorsTests|NNTests|Pix2PixTests
NUMERIC_VARIANTS := TINCT_GEMM=naive,TINCT_WORKERS=1 TINCT_GEMM=naive-float-reversed,TINCT_WORKERS=3 \
	TINCT_WORKERS=1 TINCT_WORKERS=3
test-numerics:
	@swift build --build-tests > .build/numerics-build.log 2>&1 || { cat .build/numerics-build.log; exit 1; }
	@for variant in $(NUMERIC_VARIANTS); do \
		settings=$${variant//,/ }; log=.build/numerics-$${variant//[=,]/-}.log; \
		env $$settings swift test --skip-build --filter '$(NUMERIC_SUITES)' > $$log 2>&1; status=$$?; \
		echo "numerical suites with $$settings: $$(grep -E '^. Test run with' $$log | tail -n 1)"; \
		if [ $$status -ne 0 ]; then grep -E '✘' $$log | head -n 40; exit $$status; fi; \
	done

## The editor and the training dashboard end to end in headless Chromium (Debian's chromium
## + Playwright from PyPI in .venv); screenshots and the downloaded result land in test-artifacts/.
## test_layers.py reads the layered exports with real readers (pyora and psd-tools, from PyPI).
test-browser: build
	@[ -x /usr/lib/chromium/chromium ] || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	@.venv/bin/python -c "import playwright" 2>/dev/null || .venv/bin/pip install -q playwright
	@.venv/bin/python -c "import pyora, psd_tools, PIL, numpy" 2>/dev/null || .venv/bin/pip install -q pyora psd-tools pillow numpy
	.venv/bin/python Tests/Browser/test_editor.py
	.venv/bin/python Tests/Browser/test_first_hour.py
	.venv/bin/python Tests/Browser/test_dashboard.py
	.venv/bin/python Tests/Browser/test_cross_site.py
	.venv/bin/python Tests/Browser/test_layers.py
	.venv/bin/python Tests/Browser/test_artist.py

## Tinct beside other engines (about 1.5 minutes): `tinct export-onnx` run by ONNX Runtime
## against Tinct's own generator, and two `tinct serve` replicas behind nginx (Debian) with one
## killed mid-burst. Python packages (onnx, onnxruntime, websockets, Pillow, NumPy) go in .venv.
test-interop: build
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q nginx; }
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	@.venv/bin/python -c "import onnx, onnxruntime, websockets, PIL, numpy" 2>/dev/null || .venv/bin/pip install -q onnx onnxruntime websockets pillow numpy
	.venv/bin/python Tests/Interop/test_onnx.py
	.venv/bin/python Tests/Interop/test_load_balancer.py

## Data-parallel training (about 15 seconds): `mpirun -np 2 tinct train` ends with the weights of
## one process at the same global batch, rank 0 alone writes the run, a killed rank stops the
## job and it resumes exactly. Open MPI (Debian openmpi-bin) is needed only here: tinct loads
## libmpi at run time, and only when mpirun started it (Sources/CMPI).
test-mpi: build
	@command -v mpirun >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q openmpi-bin; }
	python3 Tests/MPI/test_data_parallel.py

## The editor's live-preview round trip with models/default-lineart (p50/p95, printed, never asserted).
latency: build
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	@.venv/bin/python -c "import playwright" 2>/dev/null || .venv/bin/pip install -q playwright
	.venv/bin/python Tests/Browser/measure_latency.py

## Tinct's benchmark (release build), one JSON line per configuration.
bench: build
	$(TINCT) bench

## The PyTorch reference on the same machine, with tinct bench's configurations (the repository's
## copy of ../shared/bench/torch_pix2pix.py; needs a venv with torch).
bench-torch: .venv/bin/python
	.venv/bin/python scripts/bench/torch_pix2pix.py

.venv/bin/python:
	python3 -m venv .venv && .venv/bin/pip install -q torch safetensors numpy

## Regenerate the PyTorch reference fixtures used by the tests.
fixtures: .venv/bin/python
	.venv/bin/python scripts/make_fixtures.py

## The image decoders under AddressSanitizer + UBSan: first every file of the hostile corpus once,
## then libFuzzer for FUZZ_SECONDS seeded from it (new inputs kept in .build/fuzz/corpus,
## crashes written to .build/fuzz/crash-* or oom-*; copy one into Tests/Fuzz/regressions once
## fixed). See docs/security.md.
fuzz: deps $(FUZZ_DIR)/codec_fuzzer
	@mkdir -p $(FUZZ_DIR)/corpus
	@$(FUZZ_DIR)/codec_fuzzer -malloc_limit_mb=$(FUZZ_MALLOC_MB) $(CODEC_CORPUS)/*.png $(CODEC_CORPUS)/*.jpg Tests/Fuzz/regressions/* \
		> $(FUZZ_DIR)/corpus-asan.log 2>&1 || { cat $(FUZZ_DIR)/corpus-asan.log; exit 1; }
	@echo "ASan pass over the hostile corpus and fuzz regressions: $$(grep -c '^Executed' $(FUZZ_DIR)/corpus-asan.log) files, no error"
	@$(FUZZ_DIR)/codec_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=$(FUZZ_MALLOC_MB) \
		-max_len=65536 -dict=Tests/Fuzz/codecs.dict -artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 \
		$(FUZZ_DIR)/corpus $(CODEC_CORPUS) Tests/Fuzz/regressions > $(FUZZ_DIR)/fuzz.log 2>&1 \
		|| { tail -n 60 $(FUZZ_DIR)/fuzz.log; exit 1; }
	@grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' $(FUZZ_DIR)/fuzz.log

$(FUZZ_DIR)/codec_fuzzer: Tests/Fuzz/codec_fuzzer.c $(wildcard Sources/CImageCodecs/*.c Sources/CImageCodecs/*.h Sources/CImageCodecs/include/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fuse-ld=lld \
		-I Sources/CImageCodecs/include -I Sources/CImageCodecs \
		Tests/Fuzz/codec_fuzzer.c Sources/CImageCodecs/*.c -lpng16 -ljpeg -o $@

## Installs tinct as $(PREFIX)/bin/tinct and its pages, scripts and shipped models under
## $(PREFIX)/share/tinct, where it finds them from any folder (see ResourceLocator).
## `make install PREFIX=$$HOME/.local` needs no root; DESTDIR stages a package.
PREFIX ?= /usr/local
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tinct/models
	install -m 755 $(TINCT) $(DESTDIR)$(PREFIX)/bin/tinct
	rm -rf $(DESTDIR)$(PREFIX)/share/tinct/Public $(DESTDIR)$(PREFIX)/share/tinct/templates
	cp -R Public templates $(DESTDIR)$(PREFIX)/share/tinct/
	for model in models/default-*; do rm -rf $(DESTDIR)$(PREFIX)/share/tinct/$$model; cp -R $$model $(DESTDIR)$(PREFIX)/share/tinct/models/; done
	@echo "installed $(DESTDIR)$(PREFIX)/bin/tinct (resources in $(DESTDIR)$(PREFIX)/share/tinct)"

clean:
	rm -rf .build
