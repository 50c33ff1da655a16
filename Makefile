# The front door: a thin layer over Meson. Every target first runs
# tools/bootstrap, which installs missing Debian packages.
#
#   make run     build, then play every example (examples/tour)
#   make test    build and run the whole suite; ends with "N passed, N failed"
#   make check   the suite under ASan+UBSan with leak detection (TSan for the
#                concurrency suite once it exists)
#   make bench   benchmarks (BENCH=<module> for one module)
#   make fuzz    libFuzzer targets for FUZZ_SECONDS each (clang)

BUILD ?= build
FUZZ_SECONDS ?= 60
PYTHON ?= python3
MESON_OPTS ?=
# CI builds with -Werror; locally a warning should not stop a first build.
ifeq ($(CI),true)
MESON_OPTS += -Dwerror=true
endif

# Sanitizer runs: abort at the first report so the test fails, and fail on leaks.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
          UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp:print_suppressions=0

.PHONY: all build run test check bench fuzz bootstrap clean

all: build

bootstrap:
	@tools/bootstrap

# $(1): build dir, $(2): extra meson options
define setup
	@test -f $(1)/build.ninja || meson setup $(1) $(MESON_OPTS) $(2) >/dev/null
endef

build: bootstrap
	$(call setup,$(BUILD))
	@meson compile -C $(BUILD) >/dev/null || meson compile -C $(BUILD)

run: build
	@$(BUILD)/examples/tour

test: build
	@meson test -C $(BUILD) --no-rebuild --print-errorlogs 2>&1 | grep -E '^ *[0-9]+/[0-9]+ '; \
	    $(PYTHON) tools/test_summary.py $(BUILD)

check: bootstrap
	$(call setup,$(BUILD)-asan,-Db_sanitize=address,undefined -Db_lundef=false -Dbench=false)
	@meson compile -C $(BUILD)-asan >/dev/null || meson compile -C $(BUILD)-asan
	@$(SAN_ENV) meson test -C $(BUILD)-asan --no-rebuild --print-errorlogs \
	    --no-suite checks --no-suite bench 2>&1 | grep -E '^ *[0-9]+/[0-9]+ '; \
	    $(PYTHON) tools/test_summary.py $(BUILD)-asan
	@if grep -rqs "'concurrency'" tests --include=meson.build; then \
	    $(MAKE) --no-print-directory check-tsan; fi

check-tsan: bootstrap
	$(call setup,$(BUILD)-tsan,-Db_sanitize=thread -Db_lundef=false -Dbench=false)
	@meson compile -C $(BUILD)-tsan >/dev/null || meson compile -C $(BUILD)-tsan
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	    meson test -C $(BUILD)-tsan --no-rebuild --print-errorlogs \
	    --suite concurrency 2>&1 | grep -E '^ *[0-9]+/[0-9]+ '; \
	    $(PYTHON) tools/test_summary.py $(BUILD)-tsan

bench: build
	@$(PYTHON) bench/run.py --build $(BUILD) $(if $(BENCH),--module $(BENCH))

fuzz: bootstrap
	$(call setup,$(BUILD)-fuzz,-Dfuzz=true -Dtests=false -Dbench=false --native-file tools/clang.ini)
	@meson compile -C $(BUILD)-fuzz >/dev/null || meson compile -C $(BUILD)-fuzz
	@$(PYTHON) tools/run_fuzz.py --build $(BUILD)-fuzz --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan $(BUILD)-fuzz
