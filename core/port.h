/*
 * core/port.h - the only place where core/ meets its host.
 *
 * The C files of core/ include nothing but this header and other core/ headers,
 * so the same sources build in three homes:
 *   __KERNEL__        pf_ring.ko (Kbuild)
 *   PF_FREESTANDING   the CI check: -ffreestanding -nostdinc, no host headers at all
 *   (neither)         user space: libpfring, tests, tools
 *
 * It supplies fixed-width types, byte order, memcpy/memset/memcmp, atomics with
 * acquire/release semantics, and logging.
 */
#ifndef PF_CORE_PORT_H
#define PF_CORE_PORT_H

#if defined(__KERNEL__)
#include <linux/types.h>
#include <linux/string.h>
#include <linux/in6.h>
#include <linux/printk.h>
#include <asm/barrier.h>
#include <linux/atomic.h>
#define PF_LOG_ERR(...)  pr_err("pf_ring: " __VA_ARGS__)
#define PF_LOG_INFO(...) pr_info("pf_ring: " __VA_ARGS__)

#elif defined(PF_FREESTANDING)
typedef __UINT8_TYPE__  u_int8_t;
typedef __UINT16_TYPE__ u_int16_t;
typedef __UINT32_TYPE__ u_int32_t;
typedef __UINT64_TYPE__ u_int64_t;
typedef __INT8_TYPE__   int8_t;
typedef __INT16_TYPE__  int16_t;
typedef __INT32_TYPE__  int32_t;
typedef __INT64_TYPE__  int64_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__   size_t;
typedef unsigned char   u_char;
typedef unsigned int    u_int;
struct in6_addr {
	union {
		u_int8_t  u6_addr8[16];
		u_int16_t u6_addr16[8];
		u_int32_t u6_addr32[4];
	} in6_u;
};
#define s6_addr in6_u.u6_addr8
#define PF_LOG_ERR(...)  do { } while (0)
#define PF_LOG_INFO(...) do { } while (0)

#else /* user space */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <stdio.h>
#define PF_LOG_ERR(...)  fprintf(stderr, "pfring: " __VA_ARGS__)
#define PF_LOG_INFO(...) do { } while (0)
#endif

/* Short kernel-style names for core's own code. */
#if !defined(__KERNEL__)
typedef u_int8_t  u8;
typedef u_int16_t u16;
typedef u_int32_t u32;
typedef u_int64_t u64;
typedef int32_t   s32;
typedef int64_t   s64;
#endif

/* Memory helpers: the compiler builtins exist in every home (the kernel maps them
 * to its own memcpy), so core never depends on a libc symbol by name. */
#define pf_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define pf_memset(d, c, n) __builtin_memset((d), (c), (n))
#define pf_memcmp(a, b, n) __builtin_memcmp((a), (b), (n))

/* Byte order: the wire is big endian, every supported host is little endian
 * (x86-64, arm64); a big-endian port would make these identities. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define pf_be16(x) ((u16)(x))
#define pf_be32(x) ((u32)(x))
#else
#define pf_be16(x) __builtin_bswap16((u16)(x))
#define pf_be32(x) __builtin_bswap32((u32)(x))
#endif

/* Unaligned big-endian loads from packet bytes (never dereference a u16* into a
 * frame: IP headers after a 14-byte Ethernet header are 2-byte aligned only). */
static inline u16 pf_load_be16(const u8 *p) { return (u16)((p[0] << 8) | p[1]); }
static inline u32 pf_load_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}
static inline u32 pf_load_u32(const u8 *p) { u32 v; pf_memcpy(&v, p, 4); return v; }

/* Atomics for the single-producer / single-consumer ring. */
#if defined(__KERNEL__)
#define pf_load_acquire(p)     smp_load_acquire(p)
#define pf_store_release(p, v) smp_store_release(p, v)
#define pf_load_relaxed(p)     READ_ONCE(*(p))
#define pf_store_relaxed(p, v) WRITE_ONCE(*(p), v)
/* Counters on a plain u64 that several CPUs may bump at once (a socket's
 * packet path runs on every CPU that receives for it): atomic64_t has the
 * layout of an s64, and the kernel builds with -fno-strict-aliasing. */
#define pf_atomic_add_relaxed(p, v) atomic64_add((s64)(v), (atomic64_t *)(p))
#else
#define pf_load_acquire(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define pf_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define pf_load_relaxed(p)     __atomic_load_n((p), __ATOMIC_RELAXED)
#define pf_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define pf_atomic_add_relaxed(p, v) ((void)__atomic_fetch_add((p), (v), __ATOMIC_RELAXED))
#endif

#define PF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PF_LIKELY(x)   __builtin_expect(!!(x), 1)
#define PF_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif /* PF_CORE_PORT_H */
