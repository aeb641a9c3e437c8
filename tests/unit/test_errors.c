/*
 * tests/unit/test_errors.c - what a failed call tells its caller: a message
 * that names the reason whatever the input's length, errno as docs/api.md says,
 * the print policy (PFRING_VERBOSE) and pfring_get_last_error_message().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <pfring.h>
#include "util/api_message.h"
#include "lib/bpf_compile.h"
#include "stderr_capture.h"

#define ECHO_60A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ECHO_64A ECHO_60A "aaaa"

static char out[256 * 1024];

/* s repeated n times, malloc'd. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Opens name expecting failure with errno err; returns the message, which
 * must also be what was printed (one line). */
static const char *open_fails(const char *name, int err)
{
	const char *msg;
	pfring *r;

	capture_begin();
	errno = 0;
	r = pfring_open(name, 128, 0);
	capture_end(out, sizeof(out));
	assert_null(r);
	assert_int_equal(errno, err);
	msg = pfring_get_last_error_message();
	assert_true(strlen(msg) < PF_API_MSG_MAX);
	assert_int_equal(strlen(out), strlen(msg) + 1);
	assert_memory_equal(out, msg, strlen(msg));
	return msg;
}

/* ============================================================ the reason */

static void test_long_device_name(void **state)
{
	char *name = repeat('a', 5000), *sim = malloc(5010);

	(void)state;
	assert_string_equal(open_fails(name, EINVAL),
			    "pfring_open(\"" ECHO_64A "\"...(5000 bytes)): bad device name: "
			    "device name too long (63 bytes at most)");
	sprintf(sim, "sim:%s", name);
	sim[64] = '\0';
	assert_string_equal(open_fails(name, EINVAL) + 13, ECHO_64A "\"...(5000 bytes)): bad "
			    "device name: device name too long (63 bytes at most)");
	sim[64] = 'a';
	assert_string_equal(open_fails(sim, EINVAL),
			    "pfring_open(\"sim:" ECHO_60A "\"...(5004 bytes)): bad device name: "
			    "device name too long (63 bytes at most)");
	free(name);
	free(sim);
}

/* 33 members, each a NIC that opens: the 33rd is refused. */
static void test_multi_33_members(void **state)
{
	char name[33 * 48 + 8], *p = name;
	int i;

	(void)state;
	p += sprintf(p, "multi:");
	for (i = 0; i < 33; i++)
		p += sprintf(p, "%ssim:err%02d?gen=flows:1&count=1", i ? ";" : "", i);
	assert_string_equal(open_fails(name, EINVAL),
			    "pfring_open(\"multi:sim:err00?gen=flows:1&count=1;sim:err01?gen=flows:1"
			    "&count=\"...(995 bytes)): more than 32 members");
	assert_int_equal(strlen(name), 995);
}

static pfring *sim_ring(const char *name)
{
	pfring *r = pfring_open(name, 128, 0);

	assert_non_null(r);
	return r;
}

/* "len = 1 or len = 2 or ... len = n" then tail, malloc'd (libpcap's
 * optimizer takes minutes over "port 1 or ... port 1200", not over this). */
static char *len_filter(int n, const char *tail)
{
	char *f = malloc((size_t)n * 16 + strlen(tail) + 1), *p = f;
	int i;

	assert_non_null(f);
	for (i = 1; i <= n; i++)
		p += sprintf(p, "%slen = %d", i > 1 ? " or " : "", i);
	strcpy(p, tail);
	return f;
}

/* A filter of more than 4096 instructions, and a long one with a syntax error
 * at its end: the reason ends the message, errno E2BIG and EINVAL. */
static void test_bpf_long_filter(void **state)
{
	pfring *r = sim_ring("sim:errbpf?gen=flows:1&count=1");
	char *big = len_filter(2200, ""), *bad = len_filter(2200, " or port port");
	char want[512];
	struct pf_bpf_insn *insns;
	u_int32_t n;

	(void)state;
	assert_int_equal(pfring_bpf_compile(big, 128, &insns, &n, NULL, 0), 0);
	free(insns);
	assert_true(n > 4096);
	snprintf(want, sizeof(want), "pfring_set_bpf_filter(\"%.64s\"...(%zu bytes)): refused: "
		 "program too long: %u instructions (at most 4096)", big, strlen(big), n);
	capture_begin();
	errno = 0;
	assert_int_equal(pfring_set_bpf_filter(r, big), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, E2BIG);
	errno = 0;
	assert_int_equal(pfring_set_bpf_filter(r, bad), PF_RING_ERROR_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	capture_end(out, sizeof(out));
	assert_string_equal(pfring_get_last_error_message(),
			    "pfring_set_bpf_filter(\"len = 1 or len = 2 or len = 3 or len = 4 or "
			    "len = 5 or len = 6 o\"...(29702 bytes)): can't parse filter "
			    "expression: syntax error");
	strcat(want, "\n");
	assert_int_equal(strncmp(out, want, strlen(want)), 0);
	assert_int_equal(strncmp(out + strlen(want), pfring_get_last_error_message(),
				 strlen(pfring_get_last_error_message())), 0);
	assert_string_equal(out + strlen(out) - 13, "syntax error\n");
	pfring_close(r);
	free(big);
	free(bad);
}

/* A message that echoes a long input without PF_QUOTE keeps its start and
 * its end, the reason: 96 bytes, a 30-byte mark, the last 385 of 3020. */
static void test_overlong_line_loses_its_middle(void **state)
{
	char *input = repeat('d', 3000), want[PF_API_MSG_MAX];

	(void)state;
	capture_begin();
	pf_api_message("call(\"%s\"): the reason", input);
	capture_end(out, sizeof(out));
	snprintf(want, sizeof(want), "call(\"%.90s...(cut: 3020 bytes in all)...%.371s\"): the "
		 "reason", input, input);
	assert_int_equal(strlen(want), PF_API_MSG_MAX - 1);
	assert_string_equal(pfring_get_last_error_message(), want);
	strcat(want, "\n");
	assert_string_equal(out, want);
	free(input);
}

/* ================================================================ errno */

/* A call's result rc (errno set to 0 before it): want, errno err, message msg. */
static void expect(int rc, int want, int err, const char *msg)
{
	assert_int_equal(rc, want);
	assert_int_equal(errno, err);
	assert_string_equal(pfring_get_last_error_message(), msg);
}

static void test_bpf_syntax_errno(void **state)
{
	pfring *r = sim_ring("sim:errbpf2?gen=flows:1&count=1");

	(void)state;
	errno = 0;
	expect(pfring_set_bpf_filter(r, "port port"), PF_RING_ERROR_INVALID_ARGUMENT, EINVAL,
	       "pfring_set_bpf_filter(\"port port\"): can't parse filter expression: syntax error");
	pfring_close(r);
}

static hw_filtering_rule hw_rule(u_int16_t id)
{
	hw_filtering_rule h;

	memset(&h, 0, sizeof(h));
	h.rule_family_type = intel_82599_five_tuple_rule;
	h.rule_id = id;
	h.rule_family.five_tuple_rule.proto = 17;
	return h;
}

/* Duplicate EEXIST, full ENOSPC, missing ENOENT, Silicom EOPNOTSUPP. */
static void test_hw_rule_errnos(void **state)
{
	pfring *r = sim_ring("sim:errhw?gen=flows:1&count=1");
	hw_filtering_rule h;
	u_int16_t i;

	(void)state;
	for (i = 0; i < 1024; i++) {
		h = hw_rule(i);
		assert_int_equal(pfring_add_hw_rule(r, &h), 0);
	}
	h = hw_rule(7);
	errno = 0;
	expect(pfring_add_hw_rule(r, &h), PF_RING_ERROR_INVALID_ARGUMENT, EEXIST,
	       "pfring_add_hw_rule: the NIC has a rule 7 already");
	h = hw_rule(5000);
	errno = 0;
	expect(pfring_add_hw_rule(r, &h), PF_RING_ERROR_GENERIC, ENOSPC,
	       "pfring_add_hw_rule: the NIC's rule table is full (1024 rules)");
	errno = 0;
	expect(pfring_remove_hw_rule(r, &h), PF_RING_ERROR_INVALID_ARGUMENT, ENOENT,
	       "pfring_remove_hw_rule: the NIC has no rule 5000");
	h.rule_family_type = silicom_redirector_rule;
	errno = 0;
	expect(pfring_add_hw_rule(r, &h), PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP,
	       "pfring_add_hw_rule: sim NICs are Intel 82599s: no Silicom redirector rules");
	pfring_close(r);
}

/* A usrN ring whose slot is scribbled over: recv and next_pkt_time fail with
 * errno EBADMSG (as kmod's corrupt ring), not a stale errno. */
static void test_corrupt_userspace_ring(void **state)
{
	pfring *tx = pfring_open("userspace:usr42", 0, 0), *rx = pfring_open("usr42", 0, 0);
	char frame[60] = { 0 }, path[64], buf[128], *p = buf;
	struct pfring_pkthdr h;
	struct timespec ts;
	u_int32_t *caplen;
	int fd;

	(void)state;
	assert_non_null(tx);
	assert_non_null(rx);
	assert_int_equal(pfring_enable_ring(tx), 0);
	assert_int_equal(pfring_enable_ring(rx), 0);
	assert_int_equal(pfring_set_socket_mode(rx, recv_only_mode), 0);
	assert_int_equal(pfring_send(tx, frame, sizeof(frame), 1), sizeof(frame));
	snprintf(path, sizeof(path), "/pfring-usr42-%u", (unsigned int)getuid());
	fd = shm_open(path, O_RDWR, 0);
	assert_true(fd >= 0);
	/* the first slot's caplen (shared header page, producer and consumer pages) */
	caplen = mmap(NULL, 3 * 4096 + 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(caplen != MAP_FAILED);
	caplen[3 * 4096 / 4] = 1u << 30;
	errno = 0;
	expect(pfring_next_pkt_time(rx, &ts), PF_RING_ERROR_GENERIC, EBADMSG,
	       "pfring_next_pkt_time(\"usr42\"): the shared ring is corrupt (a slot out of its "
	       "bounds): remove usr42's shared memory and open it again");
	errno = 0;
	expect(pfring_recv(rx, (u_char **)&p, sizeof(buf), &h, 0), PF_RING_ERROR_GENERIC, EBADMSG,
	       "pfring_recv(\"usr42\"): the shared ring is corrupt (a slot out of its bounds): "
	       "remove usr42's shared memory and open it again");
	munmap(caplen, 3 * 4096 + 8);
	close(fd);
	pfring_close(tx);
	pfring_close(rx);
}

/* ========================================================== print policy */

/* 1000 failing adds of rules that exist, under policy verbosity: what was
 * printed; the last message is the last failure's whatever the policy. */
static void duplicate_adds(int verbosity)
{
	pfring *r = sim_ring("sim:errpol?gen=flows:1&count=1");
	hw_filtering_rule h;
	u_int16_t i;

	for (i = 1; i <= 1000; i++) {
		h = hw_rule(i);
		assert_int_equal(pfring_add_hw_rule(r, &h), 0);
	}
	capture_begin_policy(verbosity);
	for (i = 1; i <= 1000; i++) {
		h = hw_rule(i);
		assert_int_equal(pfring_add_hw_rule(r, &h), PF_RING_ERROR_INVALID_ARGUMENT);
	}
	capture_end(out, sizeof(out));
	assert_string_equal(pfring_get_last_error_message(),
			    "pfring_add_hw_rule: the NIC has a rule 1000 already");
	pfring_close(r);
}

static void test_once_per_kind(void **state)
{
	(void)state;
	duplicate_adds(PF_VERBOSE_ONCE);
	assert_string_equal(out, "pfring_add_hw_rule: the NIC has a rule 1 already\n"
			    "pfring: further messages like \"pfring_add_hw_rule: the NIC has a "
			    "rule 2 already\" are not printed (PFRING_VERBOSE=1 prints them all)\n");
	/* another kind is printed once too */
	capture_begin_policy(PF_VERBOSE_ONCE);
	assert_null(pfring_open("foo:x", 0, 0));
	assert_null(pfring_open("foo:x", 0, 0));
	assert_null(pfring_open("bar:y", 0, 0));
	pf_api_message("%s", "pfsim: one reason");   /* passed on: the text is the kind */
	pf_api_message("%s", "pfsim: another reason");
	capture_end(out, sizeof(out));
	assert_string_equal(out, "pfring_open(\"foo:x\"): unknown module prefix \"foo:\" (known: "
			    "sim:, multi:, userspace:, hub:, dna:, dnacluster:)\n"
			    "pfring: further messages like \"pfring_open(\"foo:x\"): unknown module "
			    "prefix \"foo:\" (known: s\" are not printed (PFRING_VERBOSE=1 "
			    "prints them all)\n"
			    "pfsim: one reason\npfsim: another reason\n");
}

/* Past 256 kinds the new ones share one: a program that fails in ever new
 * ways still prints a bounded number of lines. */
static void test_kinds_bounded(void **state)
{
	char word[4] = "aaa";
	unsigned int i;

	(void)state;
	capture_begin_policy(PF_VERBOSE_ONCE);
	for (i = 0; i < 300 * 2; i++) {
		word[0] = (char)('a' + i / 2 % 26);
		word[1] = (char)('a' + i / 2 / 26 % 26);
		pf_api_message("kind %s", word);
	}
	capture_end(out, sizeof(out));
	assert_int_equal(count_lines(out), 256 * 2 + 2);
	assert_string_equal(pfring_get_last_error_message(), "kind nla");
}

static void test_all_and_none(void **state)
{
	(void)state;
	duplicate_adds(PF_VERBOSE_ALL);
	assert_int_equal(count_lines(out), 1000);
	assert_string_equal(out + strlen(out) - 52,
			    "pfring_add_hw_rule: the NIC has a rule 1000 already\n");
	duplicate_adds(PF_VERBOSE_NONE);
	assert_string_equal(out, "");
}

/* PFRING_VERBOSE: unset or empty once per kind, "0" nothing, "1" everything. */
static void test_env(void **state)
{
	static const struct { const char *value; unsigned int lines; } cases[] = {
		{ NULL, 2 }, { "", 2 }, { "0", 0 }, { "1", 3 }, { "yes", 3 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].value)
			setenv("PFRING_VERBOSE", cases[i].value, 1);
		else
			unsetenv("PFRING_VERBOSE");
		capture_begin_policy(PF_VERBOSE_FROM_ENV);
		assert_null(pfring_open("foo:x", 0, 0));
		assert_null(pfring_open("foo:x", 0, 0));
		assert_null(pfring_open("foo:x", 0, 0));
		capture_end(out, sizeof(out));
		assert_int_equal(count_lines(out), cases[i].lines);
	}
	unsetenv("PFRING_VERBOSE");
	pf_api_set_verbosity(PF_VERBOSE_FROM_ENV);
}

static void *fail_in_thread(void *arg)
{
	(void)arg;
	assert_null(pfring_open("bar:y", 0, 0));
	assert_string_equal(pfring_get_last_error_message(), "pfring_open(\"bar:y\"): unknown "
			    "module prefix \"bar:\" (known: sim:, multi:, userspace:, hub:, dna:, "
			    "dnacluster:)");
	return NULL;
}

/* The last message is the calling thread's; a success leaves it. */
static void test_last_message_per_thread(void **state)
{
	pthread_t t;
	pfring *r;

	(void)state;
	capture_begin_policy(PF_VERBOSE_NONE);
	assert_null(pfring_open("foo:x", 0, 0));
	assert_int_equal(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	r = sim_ring("sim:errok?gen=flows:1&count=1");
	pfring_close(r);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "");
	assert_string_equal(pfring_get_last_error_message(), "pfring_open(\"foo:x\"): unknown "
			    "module prefix \"foo:\" (known: sim:, multi:, userspace:, hub:, dna:, "
			    "dnacluster:)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_device_name),
		cmocka_unit_test(test_multi_33_members),
		cmocka_unit_test(test_bpf_long_filter),
		cmocka_unit_test(test_overlong_line_loses_its_middle),
		cmocka_unit_test(test_bpf_syntax_errno),
		cmocka_unit_test(test_hw_rule_errnos),
		cmocka_unit_test(test_corrupt_userspace_ring),
		cmocka_unit_test(test_once_per_kind),
		cmocka_unit_test(test_kinds_bounded),
		cmocka_unit_test(test_all_and_none),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_last_message_per_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
