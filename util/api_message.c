/*
 * util/api_message.c - the messages of failed calls (api_message.h): the
 * print policy, the thread's last message, quoting of user input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pfring.h>
#include "util/api_message.h"

#define KINDS 256

static int verbosity = PF_VERBOSE_FROM_ENV;
static uint64_t kind_key[KINDS];  /* 0: free slot */
static unsigned int kind_count[KINDS];
static unsigned int overflow_count; /* the kinds that found the table full: one more */
static _Thread_local char last_message[PF_API_MSG_MAX];

static int policy(void)
{
	int v = __atomic_load_n(&verbosity, __ATOMIC_RELAXED);
	const char *env;

	if (v != PF_VERBOSE_FROM_ENV)
		return v;
	env = getenv("PFRING_VERBOSE");
	if (env == NULL || env[0] == '\0')
		v = PF_VERBOSE_ONCE;
	else
		v = strcmp(env, "0") == 0 ? PF_VERBOSE_NONE : PF_VERBOSE_ALL;
	__atomic_store_n(&verbosity, v, __ATOMIC_RELAXED);
	return v;
}

int pf_api_set_verbosity(int v)
{
	int old = policy();

	memset(kind_key, 0, sizeof(kind_key));
	memset(kind_count, 0, sizeof(kind_count));
	overflow_count = 0;
	__atomic_store_n(&verbosity, v, __ATOMIC_RELAXED);
	return old;
}

/* The kind of a message: its text without numbers and without what is
 * quoted ("..."), so the same refusal of other rule ids or other names is one
 * kind, and so are messages passed on from elsewhere (pfsim's reasons). An
 * FNV-1a hash, never 0 (the free slot). */
static uint64_t kind_of(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			continue;
		if (*s == '"') {
			while (s[1] && s[1] != '"')
				s++;
			if (s[1])
				s++;
			continue;
		}
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	}
	return h | 1;
}

/* How many messages of this kind came before this one. Lock-free: messages
 * are printed from signal handlers too (pfring_close in a SIGINT handler). */
static unsigned int kind_seen(uint64_t key)
{
	unsigned int i = (unsigned int)(key % KINDS), n;

	for (n = 0; n < KINDS; n++, i = (i + 1) % KINDS) {
		uint64_t k = __atomic_load_n(&kind_key[i], __ATOMIC_ACQUIRE);

		if (k == 0 && __atomic_compare_exchange_n(&kind_key[i], &k, key, 0,
							   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			k = key;
		if (k == key)
			return __atomic_fetch_add(&kind_count[i], 1, __ATOMIC_RELAXED);
	}
	return __atomic_fetch_add(&overflow_count, 1, __ATOMIC_RELAXED);
}

/* full (n bytes) into line[PF_API_MSG_MAX]: its start and its end, and
 * between them a mark saying it was cut. */
static void cut_middle(char *line, const char *full, size_t n)
{
	char mark[48];
	size_t head = 96, m, tail;

	m = (size_t)snprintf(mark, sizeof(mark), "...(cut: %zu bytes in all)...", n);
	tail = PF_API_MSG_MAX - 1 - head - m;
	memcpy(line, full, head);
	memcpy(line + head, mark, m);
	memcpy(line + head + m, full + n - tail, tail);
	line[PF_API_MSG_MAX - 1] = '\0';
}

/* The message into line[PF_API_MSG_MAX], and kept as the thread's last. */
static void format_line(char *line, const char *fmt, va_list ap)
{
	va_list again;
	char *full;
	int n;

	va_copy(again, ap);
	n = vsnprintf(line, PF_API_MSG_MAX, fmt, ap);
	if (n >= PF_API_MSG_MAX && (full = malloc((size_t)n + 1)) != NULL) {
		vsnprintf(full, (size_t)n + 1, fmt, again);
		cut_middle(line, full, (size_t)n);
		free(full);
	}
	va_end(again);
	memcpy(last_message, line, sizeof(last_message));
}

static void say(const char *line)
{
	unsigned int before;

	switch (policy()) {
	case PF_VERBOSE_NONE:
		return;
	case PF_VERBOSE_ALL:
		fprintf(stderr, "%s\n", line);
		return;
	}
	before = kind_seen(kind_of(line));
	if (before == 0)
		fprintf(stderr, "%s\n", line);
	else if (before == 1)
		fprintf(stderr, "pfring: further messages like \"%.60s\" are not printed "
			"(PFRING_VERBOSE=1 prints them all)\n", line);
}

void pf_api_message(const char *fmt, ...)
{
	char line[PF_API_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_line(line, fmt, ap);
	va_end(ap);
	say(line);
}

int pf_api_unsupported_why(int *said, const char *fmt, ...)
{
	char line[PF_API_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_line(line, fmt, ap);
	va_end(ap);
	if (!__atomic_exchange_n(said, 1, __ATOMIC_RELAXED) && policy() != PF_VERBOSE_NONE)
		fprintf(stderr, "%s\n", line);
	return pf_api_unsupported();
}

const char *pf_api_quote(char *buf, const char *s)
{
	size_t n;

	if (s == NULL)
		return "NULL";
	n = strlen(s);
	if (n <= PF_QUOTE_ECHO)
		snprintf(buf, PF_QUOTE_SIZE, "\"%s\"", s);
	else
		snprintf(buf, PF_QUOTE_SIZE, "\"%.*s\"...(%zu bytes)", PF_QUOTE_ECHO, s, n);
	return buf;
}

const char *pfring_get_last_error_message(void)
{
	return last_message;
}

int pf_api_fail(int code, int err)
{
	errno = err;
	return code;
}

int pf_api_invalid(void)
{
	return pf_api_fail(PF_RING_ERROR_INVALID_ARGUMENT, EINVAL);
}

int pf_api_unsupported(void)
{
	return pf_api_fail(PF_RING_ERROR_NOT_SUPPORTED, EOPNOTSUPP);
}
