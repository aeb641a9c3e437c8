/*
 * util/api_message.h - the one-line messages of failed calls: what is
 * printed on stderr (the print policy), what the caller can read back
 * (pfring_get_last_error_message), and quoting of user input.
 *
 * Policy, from PFRING_VERBOSE (read once): unset, each kind of message (its
 * text without numbers and without what it quotes) is printed the first time,
 * the second time a single note says that further ones are not printed (past
 * 256 kinds, the new ones share one more); "0": nothing is printed; "1" (any
 * other value): every message. Whatever is printed, the last message of the
 * calling thread is kept for pfring_get_last_error_message().
 */
#ifndef PF_UTIL_API_MESSAGE_H
#define PF_UTIL_API_MESSAGE_H

#include <stddef.h>

/* Longest message kept or printed, NUL included: a longer one loses its middle
 * (the call's name first, the reason last, stay), "...(cut: N bytes in all)..."
 * in its place. */
#define PF_API_MSG_MAX 512

/* User input echoed in a message: at most this many bytes of it. */
#define PF_QUOTE_ECHO 64
#define PF_QUOTE_SIZE (PF_QUOTE_ECHO + 40)

/* One line on stderr as the policy says, "pfring: " is not added (the caller
 * names the call); always kept as the thread's last message. */
void pf_api_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* s quoted for a message, in buf (PF_QUOTE_SIZE bytes): "s" when it has at
 * most PF_QUOTE_ECHO bytes, else "its first PF_QUOTE_ECHO bytes"...(N bytes);
 * NULL for a NULL s. Returns buf (or "NULL"). */
const char *pf_api_quote(char *buf, const char *s);

/* pf_api_quote into a buffer that lives until the end of the enclosing block:
 * pf_api_message("pfring_open(%s): ...", PF_QUOTE(name)). */
#define PF_QUOTE(s) pf_api_quote((char[PF_QUOTE_SIZE]){ 0 }, (s))

enum pf_api_verbosity {
	PF_VERBOSE_FROM_ENV = -1, /* read PFRING_VERBOSE again (at the next message) */
	PF_VERBOSE_NONE = 0,    /* PFRING_VERBOSE=0 */
	PF_VERBOSE_ALL = 1,     /* PFRING_VERBOSE=1 */
	PF_VERBOSE_ONCE = 2,    /* unset: once per kind, then one note */
};

/* Sets the policy (tests: tests/unit/stderr_capture.h), forgetting which kinds
 * were printed; returns the previous one. Not thread-safe. */
int pf_api_set_verbosity(int verbosity);

/* The result of a failed call, as the API returns it (PF_RING_ERROR_* codes
 * of include/pfring.h): */
/* errno = EINVAL, returns PF_RING_ERROR_INVALID_ARGUMENT. */
int pf_api_invalid(void);
/* errno = EOPNOTSUPP, returns PF_RING_ERROR_NOT_SUPPORTED. */
int pf_api_unsupported(void);
/* errno = err, returns code. */
int pf_api_fail(int code, int err);

/* NOT_SUPPORTED (errno EOPNOTSUPP) with one line saying why, printed at the
 * first such call of the process only (*said remembers it: programs call
 * some of these in loops), kept as the last message at every call
 * (api_message.c). */
int pf_api_unsupported_why(int *said, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PF_UTIL_API_MESSAGE_H */
