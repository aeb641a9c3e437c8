# pfring - top-level build. GNU Make.
#
#   make            libpfring (.a and .so) and the tools
#   make run        capture from a simulated NIC with live stats   (simulator issue)
#   make test       all laptop tests: unit suites, again under valgrind, API compile
#                   test, 5.4.6-style programs (compat-test), freestanding check of
#                   core/, the library at -O0, -O1 with sanitizers and -Os, fixtures current
#   make CFLAGS=... extra compiler flags for any target, e.g. CFLAGS="-O1 -fsanitize=address"
#   make e2e        QEMU guests with pf_ring.ko and the DNA drivers (kernel issue)
#   make bench      the benchmark table, each figure beside its peer
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Conventions that let a new part plug in without editing this file:
#   core/ plugins/ util/ lib/ sim/ backends/*/ *.c -> compiled into libpfring
#                              (core, plugins: freestanding; docs/architecture.md)
#   tests/unit/test_NAME.c     -> build/tests/test_NAME (cmocka), run by make test
#   tests/fuzz/fuzz_NAME.c     -> build/fuzz/fuzz_NAME (libFuzzer), run by make fuzz
#   bench/bench_NAME.c         -> build/bench/bench_NAME, rows collected by bench/run.sh

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   := build
VERSION := 5.4.6

CC      ?= cc
CLANG   ?= clang
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 $(WARN) -D_GNU_SOURCE -fPIC -I. -Iinclude
LDLIBS  := -lpcap -lpthread
# libpfring itself loads libpcap privately (util/pcap_lib.h): never DT_NEEDED.
LIB_LDLIBS := -ldl -lpthread

CORE_SRC    := $(sort $(wildcard core/*.c) $(wildcard plugins/*.c))
LIB_SRC     := $(CORE_SRC) $(sort $(wildcard util/*.c lib/*.c sim/*.c drivers/*.c backends/*/*.c))
LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS:= $(sort $(wildcard tests/unit/helpers/*.c))
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
BENCH_SRC   := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
TOOL_SRC    := $(sort $(wildcard tools/*.c))
TOOL_LIB    := $(sort $(wildcard tools/lib/*.c))
# A tool with a folder of its own (tools/pfsim/) links that folder too.
PFSIM_DAEMON:= $(sort $(wildcard tools/pfsim/*.c))
TOOL_BIN    := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
HEADERS     := include/pfring.h include/pfring_zero.h include/linux/pf_ring.h \
               include/linux/pf_ring_legacy.h

FIXTURE_DIR := $(CURDIR)/tests/fixtures
FUZZ_SECONDS ?= 60

.PHONY: all lib tools run test unit valgrind api-test freestanding fixtures-check \
        deps e2e bench fuzz install clean

all: lib tools

lib: $(BUILD)/libpfring.a $(BUILD)/libpfring.so

# Only what include/pfring.h and include/pfring_zero.h declare is exported from
# libpfring.so (their declarations carry default visibility): exports-test.
# (the Makefile too: a change of flags, such as the visibility, rebuilds every object)
$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fvisibility=hidden -MMD -MP -c $< -o $@

$(BUILD)/libpfring.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libpfring.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libpfring.so.5 -o $@ $^ $(LIB_LDLIBS)

tools: $(TOOL_BIN)

.SECONDEXPANSION:
$(BUILD)/tools/%: tools/%.c $$(wildcard tools/$$*/*.c tools/$$*/*.h) $(TOOL_LIB) tools/lib/tool.h \
		$(BUILD)/libpfring.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(wildcard tools/$*/*.c) $(TOOL_LIB) -o $@ $(BUILD)/libpfring.a $(LDLIBS)

# ---------------------------------------------------------------- dependencies
# Installs (as root) or names (otherwise) the Debian packages a target needs.
deps:
	@bash ci/check-deps.sh test

# ---------------------------------------------------------------- run
# pfcount on a capture replayed 150 times (300,000 frames) at 100,000 frames/s through a
# simulated NIC with 2 RX queues, two threads in cluster 10; it stops by itself 1 s after
# the replay ends, ~4 s in all (docs/tools.md, docs/sim.md).
RUN_DEVICE := sim:eth0?pcap=tests/fixtures/many_flows.pcap&queues=2&loop=150&rate=100000
run: deps
	@$(MAKE) --no-print-directory lib $(BUILD)/tools/pfcount
	$(BUILD)/tools/pfcount -i '$(RUN_DEVICE)' -n 2 -c 10 -q 1

# ---------------------------------------------------------------- tests
# (tests run pfsim in a child through pfsim_main: they link its daemon)
# A suite with a helper of its own names it in TEST_EXTRA_<suite>.
TEST_EXTRA_test_e1000e := tests/unit/fake_bus.c tests/unit/fake_bus.h tests/unit/nic_frames.h
TEST_EXTRA_test_igb := tests/unit/fake_bus.c tests/unit/fake_bus.h tests/unit/nic_frames.h tests/unit/fake_igb.c \
		tests/unit/fake_igb.h
TEST_EXTRA_test_e1000e_rss := tests/unit/fake_bus.c tests/unit/fake_bus.h
TEST_EXTRA_test_dna := tests/unit/fake_bus.c tests/unit/fake_bus.h
TEST_EXTRA_test_zc_bouncer := tests/unit/fake_bus.c tests/unit/fake_bus.h
$(BUILD)/tests/%: tests/unit/%.c $(TEST_HELPERS) $(PFSIM_DAEMON) $(BUILD)/libpfring.a \
		$$(TEST_EXTRA_$$*)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -DFIXTURE_DIR='"$(FIXTURE_DIR)"' $< $(TEST_HELPERS) $(PFSIM_DAEMON) \
		$(filter %.c,$(TEST_EXTRA_$*)) -o $@ $(BUILD)/libpfring.a -lcmocka $(LDLIBS)

test: deps
	@$(MAKE) --no-print-directory lib
	@$(MAKE) --no-print-directory fixtures-check layers-check freestanding opt-levels api-test exports-test \
		compat-test unit tools-test pcap-shim-test pcap-shim-apps-test interpose-test valgrind
	@echo "make test: all passed"

unit: $(UNIT_BIN)
	@bash ci/run-tests.sh plain $(UNIT_BIN)

valgrind: $(UNIT_BIN)
	@bash ci/run-tests.sh valgrind $(UNIT_BIN)

# The tools end to end (tests/tools/test_*.sh), through simulated NICs.
.PHONY: tools-test
tools-test: $(TOOL_BIN)
	@bash tests/tools/test_pfcount.sh
	@bash tests/tools/test_tools.sh
	@bash tests/tools/test_pfdnabounce.sh
	@bash tests/tools/test_zero_tools.sh

# libpfring's libpcap is its own (util/pcap_lib.h): a program that defines and exports
# pcap_* of its own, linked with the .so and with the .a, captures and filters through sim:.
INTERPOSE := $(BUILD)/interpose
.PHONY: interpose-test
interpose-test: $(BUILD)/libpfring.so $(BUILD)/libpfring.a
	@mkdir -p $(INTERPOSE)/lib
	ln -sf ../../libpfring.so $(INTERPOSE)/lib/libpfring.so.5
	$(CC) $(CFLAGS) tests/interpose/pcap_count.c -o $(INTERPOSE)/pcap_count -lpcap
	$(CC) $(CFLAGS) -rdynamic tests/interpose/own_pcap.c -o $(INTERPOSE)/own_pcap_so \
		$(BUILD)/libpfring.so -Wl,-rpath,$(CURDIR)/$(INTERPOSE)/lib $(LIB_LDLIBS)
	$(CC) $(CFLAGS) -rdynamic tests/interpose/own_pcap.c -o $(INTERPOSE)/own_pcap_a \
		$(BUILD)/libpfring.a $(LIB_LDLIBS)
	@bash tests/interpose/run.sh $(INTERPOSE)

# Programs of our own written the way 5.4.6's examples, Snort's DAQ, libpcap-ring and
# C++ code use the API, each built with that program's flags and run on sim: NICs
# (tests/compat/run.sh).
.PHONY: compat-test
compat-test: $(BUILD)/libpfring.so
	@bash tests/compat/run.sh

# Every symbol of the public headers is referenced and linked, in C and in C++; the
# guide's libzero snippets, in both forms of the API, are built and run with it.
API_SRC := tests/api/api_symbols.c tests/api/zero_snippets.c
api-test: $(BUILD)/libpfring.a
	@mkdir -p $(BUILD)/api
	$(CC) $(CFLAGS) -std=gnu99 -pedantic $(API_SRC) -o $(BUILD)/api/api_symbols_c \
		$(BUILD)/libpfring.a $(LDLIBS)
	$(CC) -std=c99 -pedantic $(WARN) -D_GNU_SOURCE -Iinclude $(API_SRC) \
		-o $(BUILD)/api/api_symbols_c99 $(BUILD)/libpfring.a $(LDLIBS)
	$(CC) -std=c11 -pedantic $(WARN) -D_GNU_SOURCE -Iinclude $(API_SRC) \
		-o $(BUILD)/api/api_symbols_c11 $(BUILD)/libpfring.a $(LDLIBS)
	g++ -x c++ -std=c++11 $(WARN) -Iinclude $(API_SRC) -x none -o $(BUILD)/api/api_symbols_cxx \
		$(BUILD)/libpfring.a $(LDLIBS)
	$(BUILD)/api/api_symbols_c && $(BUILD)/api/api_symbols_c99 && $(BUILD)/api/api_symbols_c11 && \
		$(BUILD)/api/api_symbols_cxx

# libpfring.so exports exactly tests/api/exports.txt (what the public headers declare),
# and a program using every symbol of the headers links against the .so alone.
.PHONY: exports-test
exports-test: $(BUILD)/libpfring.so
	@mkdir -p $(BUILD)/api
	$(CC) $(CFLAGS) $(API_SRC) -o $(BUILD)/api/api_symbols_so $(BUILD)/libpfring.so -lpcap
	@nm -D --defined-only $(BUILD)/libpfring.so | awk '$$2 ~ /^[TDBRVWiu]$$/ { print $$3 }' | \
	  LC_ALL=C sort > $(BUILD)/api/exports.txt
	@diff -u tests/api/exports.txt $(BUILD)/api/exports.txt || { echo "exports-test: \
	libpfring.so exports other symbols than tests/api/exports.txt (+ exported, - missing)"; exit 1; }
	@echo "exports-test: libpfring.so exports the $$(wc -l < tests/api/exports.txt) functions of pfring.h and pfring_zero.h, nothing else"

# gcc's -Wformat-truncation and kin see more or less depending on the optimisation level:
# the library's objects also build at -O0, at -O1 with the sanitizers and at -Os
# (build/opt-*/, incremental). Extra flags go in CFLAGS: make CFLAGS="-O1 -fsanitize=address".
space := $(subst ,, )
comma := ,
OPT_LEVELS := -O0 -O1_-fsanitize=address,undefined -Os
.PHONY: opt-levels objs
objs: $(LIB_OBJ)
opt-levels:
	@for o in $(OPT_LEVELS); do \
	  $(MAKE) --no-print-directory -s BUILD=$(BUILD)/opt$$(echo "$$o" | tr -d ' _=,') \
	    CFLAGS="$$(echo "$$o" | tr '_' ' ')" objs || { echo "opt-levels: $$o FAILED"; exit 1; }; \
	done; echo "opt-levels: the library builds at $(subst _, ,$(subst $(space),$(comma) ,$(OPT_LEVELS)))"

# core/ must build with no host headers at all: that is what lets pf_ring.ko use it.
freestanding:
	@for f in $(CORE_SRC); do \
	  $(CC) -std=c11 $(WARN) -O2 -ffreestanding -nostdinc -fno-builtin-printf -DPF_FREESTANDING \
	    -I. -Iinclude -c $$f -o /dev/null || { echo "freestanding: $$f FAILED"; exit 1; }; \
	done; echo "freestanding: $(words $(CORE_SRC)) core/ files build with -ffreestanding -nostdinc"

fixtures-check:
	@bash ci/check-fixtures.sh

.PHONY: layers-check
layers-check:
	@bash ci/check-layers.sh

# ---------------------------------------------------------------- fuzz
# Every target links a sanitized, coverage-instrumented build of the whole library
# (core, plugins, util, lib, sim, backends): the linker takes the parts a target calls.
FUZZ_SAN   := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
              -std=c11 $(WARN) -D_GNU_SOURCE -I. -Iinclude
FUZZ_FLAGS := $(FUZZ_SAN) -fsanitize=fuzzer
FUZZ_LIB   := $(BUILD)/fuzz/libpfring-fuzz.a
FUZZ_OBJ   := $(LIB_SRC:%.c=$(BUILD)/fuzz-obj/%.o)

$(BUILD)/fuzz-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -fPIC -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $< -o $@ $(FUZZ_LIB) -lpcap $(LIB_LDLIBS)

fuzz: deps $(FUZZ_BIN)
	@bash ci/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# ---------------------------------------------------------------- bench
# The guest bench's traffic (bench/guest/traffic.c) has a unit suite of its own.
TEST_EXTRA_test_bench_traffic := bench/guest/traffic.c bench/guest/traffic.h
# -march=native last: DPDK's pkg-config flags carry -march=corei7, and the last one wins.
BENCH_CFLAGS = $(filter-out -O2,$(CFLAGS)) -O3 $(shell pkg-config --cflags libdpdk 2>/dev/null) -march=native
BENCH_LIBS   = $(shell pkg-config --libs libdpdk 2>/dev/null) -lpcap -lpthread -lm

$(BUILD)/bench/%: bench/%.c $(LIB_SRC) $(PFSIM_DAEMON) bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -Ibench $< $(LIB_SRC) $(PFSIM_DAEMON) -o $@ $(BENCH_LIBS)

# bench_pcap_shim runs tcpdump and bench/pcap_count (a plain libpcap program) with the shim
# preloaded (docs/bench.md).
$(BUILD)/bench/pcap_count: bench/pcap_count.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpcap
$(BUILD)/bench/bench_pcap_shim: $(BUILD)/libpfring-pcap.so $(BUILD)/bench/pcap_count

bench:
	@bash ci/check-deps.sh bench
	@$(MAKE) --no-print-directory $(BENCH_BIN)
	@bash bench/run.sh $(BENCH_BIN)

# ---------------------------------------------------------------- e2e
# One QEMU guest per kernel of build/e2e/kernels.list (docs/e2e.md); verdict from the consoles.
e2e:
	@bash ci/e2e-run.sh

# ---------------------------------------------------------------- dkms
# The source tree DKMS wants (kmod/dkms.conf at its top): docs/kmod.md.
DKMS_DIR := $(BUILD)/dkms/pfring-5.4.6
.PHONY: dkms-src
dkms-src:
	rm -rf $(DKMS_DIR) && mkdir -p $(DKMS_DIR)/include/linux
	cp -r kmod core plugins $(DKMS_DIR)/
	cp include/linux/pf_ring.h $(DKMS_DIR)/include/linux/
	cp kmod/dkms.conf $(DKMS_DIR)/dkms.conf
	@echo "dkms-src: $(DKMS_DIR) (sudo cp -r it to /usr/src, then dkms add/install pfring/5.4.6)"

# ---------------------------------------------------------------- install
install: lib tools $(BUILD)/libpfring-pcap.so
	install -d $(DESTDIR)$(PREFIX)/include/linux $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/pfring.h include/pfring_zero.h include/pcap-pfring.h \
		$(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BUILD)/libpfring-pcap.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/linux/pf_ring.h include/linux/pf_ring_legacy.h \
		$(DESTDIR)$(PREFIX)/include/linux/
	install -m 644 $(BUILD)/libpfring.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libpfring.so $(DESTDIR)$(PREFIX)/lib/libpfring.so.$(VERSION)
	ln -sf libpfring.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libpfring.so.5
	ln -sf libpfring.so.5 $(DESTDIR)$(PREFIX)/lib/libpfring.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ci/libpfring.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/libpfring.pc
	$(if $(TOOL_BIN),install -m 755 $(TOOL_BIN) $(DESTDIR)$(PREFIX)/bin/)

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(patsubst %.c,$(BUILD)/fuzz-obj/%.d,$(LIB_SRC))

# ---------------------------------------------------------------- libpcap shim (issue 15)
# libpfring-pcap.so: LD_PRELOAD it and unmodified libpcap programs (tcpdump) capture from
# pfring's device names; every other handle goes to the system's libpcap (pcap_shim/).
# It exports the pcap_* it intercepts and nothing of libpfring (--exclude-libs).
SHIM_SRC := $(sort $(wildcard pcap_shim/*.c))
$(BUILD)/libpfring-pcap.so: $(SHIM_SRC) $(wildcard pcap_shim/*.h) $(BUILD)/libpfring.a
	$(CC) $(CFLAGS) -fvisibility=hidden -shared -Wl,-soname,libpfring-pcap.so -o $@ $(SHIM_SRC) \
		-Wl,--exclude-libs,ALL $(BUILD)/libpfring.a $(LIB_LDLIBS)

.PHONY: pcap-shim pcap-shim-test pcap-shim-apps-test
PCAP_SHIM_APP_TESTS := tests/pcap_shim/test_tshark.sh tests/pcap_shim/test_suricata.sh
pcap-shim: $(BUILD)/libpfring-pcap.so
$(BUILD)/pcap_shim/shim_api: tests/pcap_shim/shim_api.c tests/pcap_shim/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpcap
$(BUILD)/pcap_shim/shim_stress: tests/pcap_shim/shim_stress.c tests/pcap_shim/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpcap -lpthread
# linked with the shim before libpcap, as programs written for PF_RING's libpcap are
$(BUILD)/pcap_shim/pfring_calls: tests/pcap_shim/pfring_calls.c tests/pcap_shim/check.h include/pcap-pfring.h \
		$(BUILD)/libpfring-pcap.so
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -L$(BUILD) -Wl,-rpath,$(CURDIR)/$(BUILD) -lpfring-pcap -lpcap
	$(CXX) -std=c++11 -Wall -Wextra -Werror -fsyntax-only -Iinclude -x c++ include/pcap-pfring.h
pcap-shim-test: $(BUILD)/libpfring-pcap.so $(BUILD)/pcap_shim/shim_api \
		$(BUILD)/pcap_shim/shim_stress $(BUILD)/pcap_shim/pfring_calls $(TOOL_BIN)
	@bash tests/pcap_shim/test_tcpdump.sh
	@bash tests/pcap_shim/test_env.sh
	@bash tests/pcap_shim/test_devices.sh
# Real applications through the shim: Debian's tshark and suricata (each script installs its
# program with ci/install-deps.sh when root, and skips without it otherwise).
pcap-shim-apps-test: $(BUILD)/libpfring-pcap.so $(BUILD)/tools/pfsim
	@rc=0; for t in $(PCAP_SHIM_APP_TESTS); do bash $$t || rc=1; done; exit $$rc
