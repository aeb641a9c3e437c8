/*
 * tests/compat/compat_check.h - the one thing the compat programs share: a check
 * that counts failures and names the line (COMPAT_NAME: the program's name).
 * Everything else in each program is written the way its 5.4.6 model is.
 */
#ifndef COMPAT_CHECK_H
#define COMPAT_CHECK_H

static int failures;

#define CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, "%s: line %d: %s\n", COMPAT_NAME, __LINE__, #cond); \
			failures++; \
		} \
	} while (0)

/* The exit status, and the failures said on stderr. */
#define COMPAT_FAILED() \
	(failures ? (fprintf(stderr, "%s: %d failures\n", COMPAT_NAME, failures), 1) : 0)

#endif
