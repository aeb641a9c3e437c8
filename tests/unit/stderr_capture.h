/*
 * tests/unit/stderr_capture.h - capture what the library prints on stderr
 * between capture_begin() and capture_end(), to assert its messages. Every
 * message is printed meanwhile (PFRING_VERBOSE=1: util/api_message.h),
 * a message already printed earlier in the process included.
 * Include after <cmocka.h>.
 */
#ifndef PF_TEST_STDERR_CAPTURE_H
#define PF_TEST_STDERR_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

#include "util/api_message.h"

static int saved_stderr = -1;
static int saved_verbosity;
static FILE *capture_file;

/* Capture under print policy verbosity (PF_VERBOSE_*), no kind printed yet. */
static inline void capture_begin_policy(int verbosity)
{
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(capture_file), 2) >= 0);
	saved_verbosity = pf_api_set_verbosity(verbosity);
}

static inline void capture_begin(void)
{
	capture_begin_policy(PF_VERBOSE_ALL);
}

static inline void capture_end(char *buf, size_t len)
{
	size_t n;

	pf_api_set_verbosity(saved_verbosity);
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture_file);
	n = fread(buf, 1, len - 1, capture_file);
	buf[n] = '\0';
	fclose(capture_file);
}

#endif /* PF_TEST_STDERR_CAPTURE_H */
