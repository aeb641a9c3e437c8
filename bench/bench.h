/*
 * bench/bench.h - shared helpers for make bench programs.
 *
 * Each bench program prints rows, one figure each, beside its peer measured in
 * the same run; bench/run.sh turns the rows into the table. Only ratios mean
 * anything on a shared machine.
 */
#ifndef PF_BENCH_H
#define PF_BENCH_H

#include <stdio.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One table row. peer_name may be NULL when a figure has no peer (then the goal,
 * if any, belongs in the figure's name). */
static inline void bench_row(const char *figure, double ours, const char *unit,
			     const char *peer_name, double peer)
{
	printf("ROW\t%s\t%.2f\t%s\t%s\t%.2f\n", figure, ours, unit,
	       peer_name ? peer_name : "-", peer_name ? peer : 0.0);
	fflush(stdout);
}

/* A row that could not be measured: the table shows it with the reason, and
 * "-" for the figures and the ratio. */
static inline void bench_skip(const char *figure, const char *reason)
{
	printf("ROW\t%s (skipped: %s)\t-\t\t-\t0\n", figure, reason);
	fflush(stdout);
}

/* Keep the compiler from discarding a computed value. */
#define bench_keep(v) __asm__ volatile("" : : "r"(v) : "memory")

#endif /* PF_BENCH_H */
