# pantau — the commands a newcomer needs. See README.md.
SHELL := /bin/bash
export CARGO_BUILD_JOBS ?= 2
CARGO ?= cargo
PANTAU_RELEASE := target/release/pantau
DEMO_FEEDS_ADDR ?= 127.0.0.1:8787

.PHONY: all build run demo test lint fmt bench eval clean check-shared monitoring-check

all: build

build:
	$(CARGO) build --release -p pantau

## make run: the whole pipeline on real Indonesian news feeds (config/pantau.toml).
run: build
	$(PANTAU_RELEASE) run --config config/pantau.toml

## make demo: the bundled sample feeds, served from localhost, offline. The
## store (and the analysts' corrections in it) stays in target/demo-data
## across runs; `make demo RESET=1` starts from an empty one.
demo: build
	@if [ -n "$(RESET)" ]; then rm -rf target/demo-data; echo "demo: store reset (target/demo-data)"; \
	 elif [ -d target/demo-data ]; then echo "demo: keeping target/demo-data and its corrections (make demo RESET=1 to start afresh)"; fi
	@set -euo pipefail; \
	$(PANTAU_RELEASE) demo-server --dir demo/feeds --listen $(DEMO_FEEDS_ADDR) & server=$$!; \
	trap 'kill $$server 2>/dev/null || true' EXIT INT TERM; \
	echo "demo feeds on http://$(DEMO_FEEDS_ADDR)/feeds/ — dashboard on http://127.0.0.1:9464/ (Ringkasan, Artikel, Isu, Laporan), metrics on http://127.0.0.1:9464/metrics, KPI on http://127.0.0.1:9464/api/v1/kpi"; \
	$(PANTAU_RELEASE) run --config config/demo.toml

## make test: formatting, lints and every test (what CI runs). Tests start the
## services they need themselves (PostgreSQL via scripts/postgres.sh); the
## recipe stops them at the end (PostgreSQL via scripts/postgres.sh, Apache
## Kafka via scripts/kafka.sh).
test: check-shared monitoring-check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@status=0; $(CARGO) test --workspace --no-fail-fast || status=$$?; \
	scripts/postgres.sh stop >/dev/null 2>&1 || true; \
	scripts/kafka.sh stop >/dev/null 2>&1 || true; \
	exit $$status

check-shared:
	@if [ ! -d ../shared/corpus ]; then \
	  echo "NOTE: ../shared (test corpora and eval data) is missing: tests that read it will fail and say so."; \
	fi

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## make bench: benchmarks, printed as tables.
bench:
	$(CARGO) build --release -p pantau --bins
	@echo "== the store stage alone, beside the SQLite floor (../shared/bench/sqlite_floor.py, same N, rounds in turn)"
	target/release/pantau-bench store 200000
	@echo "== end-to-end embedded pipeline, beside the SQLite floor (same N, rounds in turn)"
	target/release/pantau-bench pipeline 200000
	@echo "== restart: a store of 1,000,000 articles (kept in target/bench-store-1m), then pantau run from cold"
	target/release/pantau-bench restart 1000000 target/bench-store-1m
	@echo "== heavy reads while feeds and pushes write: stores of 200,000 and 1,000,000 articles"
	target/release/pantau-bench reads 200000
	target/release/pantau-bench reads 1000000 target/bench-store-1m
	@echo "== story assignment with 1,000,000 stories known: articles/s and memory per story"
	target/release/pantau-bench stories 1000000 100000
	@echo "== through Apache Kafka: producer → pantau classify → pantau aggregate (scripts/kafka.sh starts the broker)"
	target/release/pantau-bench kafka 100000
	@echo "== lexicon stage (criterion): MB/s on 2 KB Indonesian news articles"
	$(CARGO) bench -p pantau-sentiment --bench classify
	@echo "== feed parse + normalise side by side with Python's feedparser (PyPI), shared corpus"
	@if [ -d ../shared/corpus/feedparser/tests ]; then \
	  python3 scripts/bench_feedparser.py ../shared/corpus/feedparser/tests 3 > target/feedparser-bench.json && \
	  target/release/pantau-bench corpus ../shared/corpus/feedparser/tests target/feedparser-bench.json; \
	else echo "../shared/corpus is missing: feed comparison skipped"; exit 1; fi
	@echo "== English path side by side with Python's vaderSentiment (PyPI)"
	@if [ -f ../shared/eval/nusax-senti/english/test.csv ]; then \
	  target/release/pantau-bench english ../shared/eval/nusax-senti/english/test.csv scripts/bench_vader.py; \
	else echo "../shared/eval is missing: English comparison skipped"; exit 1; fi

clean:
	$(CARGO) clean
	rm -rf target/demo-data data

## make eval: the classifier on the shared labelled data: real ministry
## headlines (kemensos-news, train and test: relevance, tone toward the
## ministry, the negative share) beside SmSA valid and NusaX test.
eval:
	@if [ ! -d ../shared/eval ]; then echo "../shared/eval is missing: make eval needs the shared evaluation data" >&2; exit 1; fi
	$(CARGO) build --release -p pantau
	$(PANTAU_RELEASE) eval --config config/pantau.toml --entity kemensos \
	  ../shared/eval/kemensos-news/headlines.tsv
	$(PANTAU_RELEASE) eval --config config/pantau.toml \
	  ../shared/eval/smsa/valid_preprocess.tsv \
	  ../shared/eval/nusax-senti/indonesian/test.csv \
	  ../shared/eval/nusax-senti/english/test.csv

## The operator's side: Prometheus config and rules (promtool, with rule unit
## tests), Alertmanager config (amtool), dashboard and units. Installs the
## Debian packages on first use.
monitoring-check:
	scripts/monitoring.sh install
	scripts/monitoring.sh check
