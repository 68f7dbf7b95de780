# Labbook: `make report` regenerates every report and reports/assignment.pdf; `make test` runs the test suite.
# Both run `make setup` first, which installs what a fresh Debian machine lacks.
SWIFT ?= swift
LABBOOK = .build/release/labbook
PROFILE ?= default
# Worker processes for `make report` (`--executor local`): one per processor (at most 64, what
# --jobs accepts), each on one core.
JOBS ?= $(shell n=$$(nproc); echo $$(( n > 64 ? 64 : n )))

.PHONY: setup build report test bench clean

setup:
	bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product labbook

report: build
	$(LABBOOK) run --profile $(PROFILE) --executor local --jobs $(JOBS) --pdf

test: setup
	$(SWIFT) test --disable-swift-testing

bench: build
	$(LABBOOK) bench mlp --dataset fashion-mnist --epochs 10 --json

clean:
	rm -rf .build .labbook-cache
