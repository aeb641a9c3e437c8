/*
 * tools/lib/tool.h - what every pfring tool needs the same way: usage errors,
 * numeric options, a monotonic clock, CPU binding. Each tool sets tool_name
 * first thing in main().
 */
#ifndef PF_TOOL_H
#define PF_TOOL_H

#include <sys/types.h>

extern const char *tool_name;

/* "NAME: <message>" and "Try 'NAME -h' for help." on stderr, exit 1. */
void tool_die_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The decimal number s given to option -letter, in min..max, or tool_die_usage(). */
long long tool_parse_num(char letter, const char *s, long long min, long long max);

u_int64_t tool_now_ns(void);   /* CLOCK_MONOTONIC */
u_int64_t tool_now_ms(void);

/* Bind the calling thread to core (nothing when core < 0); a failure is a
 * warning on stderr naming what (e.g. "thread 1"), not an error. */
void tool_bind_to_core(int core, const char *what);

#endif /* PF_TOOL_H */
