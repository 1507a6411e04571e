/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API for the classifier's files to build as
 * a host program (cls_test.c): the headers in include/linux/ all come
 * here. Allocations go through cls_test's failure injection.
 */
#ifndef _PKTPATH_KSHIM_H
#define _PKTPATH_KSHIM_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8, __u8;
typedef uint16_t u16, __u16;
typedef uint32_t u32, __u32;
typedef uint64_t u64, __u64;
typedef int32_t s32, __s32;
typedef uint32_t __be32;
typedef uint16_t __be16;

#define BIT(n)		(1UL << (n))
#define GENMASK(h, l)	((~0U << (l)) & (~0U >> (31 - (h))))
#define U32_MAX		UINT32_MAX
#define min(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define max3(a, b, c)	max(max(a, b), c)
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))
#define BIT_ULL(n)	(1ULL << (n))
#define U64_MAX		(~0ULL)
#define fls64(x)	((x) ? 64 - __builtin_clzll(x) : 0)
#define ilog2(x)	(63 - __builtin_clzll(x))
#define rounddown_pow_of_two(x)	(1UL << ilog2(x))
#define swap(a, b)	do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#define __ffs(x)	((unsigned long)__builtin_ctz(x))
#define __fls(x)	((unsigned long)(31 - __builtin_clz(x)))
#define __percpu
#define IFNAMSIZ	16
#define NFPROTO_IPV4	2
#define NFPROTO_IPV6	10
#define GFP_KERNEL_ACCOUNT 0

union nf_inet_addr {
	__u32 all[4];
	__be32 ip;
	__be32 ip6[4];
	struct in_addr in;
	struct in6_addr in6;
};

struct net_device {
	char name[IFNAMSIZ];
};

typedef struct { int refs; } refcount_t;
static inline void refcount_set(refcount_t *r, int n) { r->refs = n; }
static inline void refcount_inc(refcount_t *r) { r->refs++; }
static inline bool refcount_dec_and_test(refcount_t *r) { return --r->refs == 0; }

typedef struct { u64 v; } u64_stats_t;
struct u64_stats_sync { int unused; };

/* cls_test.c: NULL for the allocation it was told to fail */
void *shim_alloc(size_t size, bool zero);
void shim_free(void *p);

static inline void *kvmalloc_array(size_t n, size_t size, int gfp)
{
	return shim_alloc(n * size, false);
}

static inline void *kmalloc_array(size_t n, size_t size, int gfp)
{
	return shim_alloc(n * size, false);
}

static inline void *kvcalloc(size_t n, size_t size, int gfp)
{
	return shim_alloc(n * size, true);
}

static inline void *kzalloc(size_t size, int gfp)
{
	return shim_alloc(size, true);
}

static inline void kvfree(const void *p) { shim_free((void *)p); }
static inline void kfree(const void *p) { shim_free((void *)p); }
static inline void cond_resched(void) { }

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap_fn)
{
	qsort(base, num, size, cmp);
}

#endif /* _PKTPATH_KSHIM_H */
