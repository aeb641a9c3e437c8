/*
 * tools/lib/tool.c - shared by the pfring tools (tool.h).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tools/lib/tool.h"

const char *tool_name = "pfring";

void tool_die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s -h' for help.\n", tool_name);
	exit(1);
}

long long tool_parse_num(char letter, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < min || v > max)
		tool_die_usage("-%c: '%s' is not a number in %lld..%lld", letter, s, min, max);
	return v;
}

u_int64_t tool_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u_int64_t)ts.tv_sec * 1000000000ull + (u_int64_t)ts.tv_nsec;
}

u_int64_t tool_now_ms(void)
{
	return tool_now_ns() / 1000000;
}

void tool_bind_to_core(int core, const char *what)
{
	cpu_set_t set;
	int rc;

	if (core < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(core, &set);
	rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (rc != 0)
		fprintf(stderr, "%s: %s: cannot bind to core %d: %s\n", tool_name, what, core,
			strerror(rc));
}
