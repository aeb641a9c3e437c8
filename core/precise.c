/*
 * core/precise.c - precise (hash) filtering rules: a bounded chained hash table
 * of exact 6-tuples <vlan, proto, host a, port a, host b, port b>, matched in
 * both directions (spec 8.10.2).
 *
 * Memory. One allocation made at create time and never grown:
 *   [struct pf_precise_table][u32 bucket words x 2^k][pad][128-byte nodes x capacity]
 * with 2^k >= capacity. A node is the public entry (120 bytes) plus one
 * writer-private word, 64-byte aligned, so the chain pointer and the whole key
 * (entry offsets 0..52) sit in the node's first cache line. pf_precise_bytes()
 * is the exact size: 128 + 4 * 2^k / capacity bytes per rule, i.e. 132.2 B/rule
 * for 1,000,000 rules (132.2 MB).
 *
 * Bucket word (u32, published with store-release):
 *   bits 0 .. ib-1   index + 1 of the chain's head node (0 = empty bucket)
 *   bits ib .. 31    signature: a 2-bit Bloom filter of the chain's hashes
 * where ib is the bit length of capacity (20 bits for 1,000,000 rules, leaving
 * a 12-bit signature). Each key sets two bits chosen by its hash; a lookup
 * whose two bits are not both set in the word is a miss without touching a
 * node. At 1,000,000 rules in 2^20 buckets 4% of misses get past the signature
 * (0.09 nodes read per miss; one miss in four would read one with a tag of the
 * head alone), and the test is one branch, so a stream of misses keeps the
 * CPU's loads overlapped instead of stalling on mispredictions.
 *
 * Hash: a multiply-xor mix of the canonical key's words with a per-table seed
 * (home clock and table address, against crafted collisions from packets that
 * add rules), then murmur3's finalizer. No CRC instruction: portable to every
 * architecture the kernel module may meet.
 *
 * Canonical key. Matching is bidirectional, so add() stores the rule with its
 * two endpoints ordered ((host, port) of peer a <= that of peer b, under an
 * arbitrary but fixed total order) and lookup() orders the packet's endpoints
 * the same way: one hash, one comparison. The stored entry->rule is therefore
 * the user's rule with peers a and b possibly swapped (the same rule).
 *
 * IPv4 or IPv6. hash_filtering_rule has no version field: a rule is IPv4 when
 * both host_peer_a and host_peer_b have only their v4 word set (bytes 4..15
 * zero), IPv6 otherwise. IPv4 packets match only IPv4 rules, IPv6 packets only
 * IPv6 rules. Consequence: an IPv6 rule whose two hosts are both of the form
 * x:y:: (only the first 32 bits set, i.e. subnet-router anycast addresses of
 * /32 prefixes) is read as an IPv4 rule.
 *
 * Wildcards are refused (-PF_EINVAL): both hosts and proto must be non-zero.
 * Ports may be 0: ICMP and other portless protocols parse with ports 0, and a
 * rule with port 0 matches exactly those packets. vlan_id 0 means untagged
 * (not "any"); a vlan_id above 4095 can never match and is refused.
 *
 * Concurrency (engine.h). pf_precise_lookup() runs under the home's read lock
 * and takes nothing itself. add/remove/purge take home->write_lock inside; a new
 * node is filled, then published at its bucket's head with a store-release.
 * remove/purge unlink with store-releases (leaving the node's own next intact
 * for readers standing on it), release the lock, call home->synchronize(), and
 * only then put the nodes on the free list (writer-side, under the lock).
 * So remove/purge may sleep and must not be called from the packet path; add
 * never allocates (pool only) nor sleeps and may be. The packet path removes
 * with pf_precise_remove_deferred(): unlinked at once, recycled by the next
 * remove or purge (which wait for readers once for all of them) or destroy.
 *
 * Plugin memory: an entry's plugin_data belongs to its rule's plugin
 * (plugin_action.plugin_id, core/plugin.h). When the entry is recycled (after
 * the grace period of a remove or purge) or the table is destroyed, the
 * plugin's free_rule_mem gets it back, called with the table's owner
 * (pf_precise_set_owner: the ring whose rules these are), and then the
 * reference the entry took on its plugin at add (pf_plugin_hold; the packet
 * path's adds too) is dropped.
 *
 * Idle time, as in core/rules.c: the entry's copy of the rule keeps the time it
 * was added in rule.internals.last_match_ns; entry->last_match_ns is the last
 * match (0 = never, set by the pipeline). An entry is idle when now - (last
 * match, else added) > idle_sec seconds (strictly).
 */
#include "precise.h"
#include "plugin.h"

#define PF_PRECISE_MAX_CAPACITY (1u << 24)   /* leaves a signature of >= 7 bits */
#define PF_NSEC_PER_SEC 1000000000ull
#define PF_VLAN_MAX 4095

/* A pool slot. `w` is the writer's: the node's hash while it is linked (to
 * rebuild its bucket's word when it becomes the head), the link of a free,
 * deferred or to-be-freed list once unlinked. Readers never touch it, so it may
 * be rewritten while a reader still stands on the node. */
struct pf_precise_node {
	struct pf_precise_entry e;
	union {
		u64 hash;
		struct pf_precise_node *link;
	} w;
};

_Static_assert(sizeof(struct pf_precise_node) == 128, "node must be two cache lines");

struct pf_precise_table {
	/* read by lookups */
	u32 *buckets;
	struct pf_precise_node *pool;
	u64 seed;
	u32 bmask;                   /* buckets - 1 */
	u32 idx_mask;                /* bits of index + 1 */
	u32 sig_shift, sig_bits;     /* where the signature field starts, its width */
	/* writer side */
	const struct pf_home *home;
	struct pf_socket *owner;     /* handed to plugins' free_rule_mem */
	u32 capacity;
	u32 used;                    /* pool[0 .. used) have been handed out once */
	u32 count;                   /* linked entries */
	struct pf_precise_node *free;
	struct pf_precise_node *deferred; /* unlinked, waiting for a grace period */
};

/* The canonical key: (a, pa) <= (b, pb). A host is its 16 ip_addr bytes read
 * as two words (IPv4: the v4 word in bytes 0..3, bytes 4..15 zero). */
struct pf_pkey {
	u64 a[2], b[2];
	u32 ports;                   /* port a, port b as they lie in the rule */
	u32 vp;                      /* vlan | proto << 16 */
	u8 v4;                       /* both hosts have the IPv4 shape */
};

/* key_eq() reads the rule's two ports as one word. */
_Static_assert(__builtin_offsetof(hash_filtering_rule, port_peer_b) ==
	       __builtin_offsetof(hash_filtering_rule, port_peer_a) + 2, "ports adjacent");

/* -------------------------------------------------------------- keys */

static inline void host_load(const ip_addr *x, u64 w[2])
{
	pf_memcpy(w, x, 16);
}

/* Word 0 of an IPv4 host, built in registers (no store-forwarding stall
 * through an ip_addr on the stack). */
static inline u64 v4_word(u32 v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (u64)v << 32;
#else
	return v;
#endif
}

/* The rule's port_peer_a, port_peer_b pair read as one u32, built in registers. */
static inline u32 ports_word(u16 pa, u16 pb)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ((u32)pa << 16) | pb;
#else
	return pa | ((u32)pb << 16);
#endif
}

static inline u32 vp_word(u16 vlan, u8 proto)
{
	return vlan | ((u32)proto << 16);
}

/* Only the v4 word set: bytes 4..15 zero. */
static inline int words_v4(const u64 w[2])
{
	return w[1] == 0 && (w[0] & ~v4_word(0xffffffffu)) == 0;
}

static inline void pkey_put(struct pf_pkey *k, const u64 x[2], u16 px, const u64 y[2], u16 py)
{
	k->a[0] = x[0];
	k->a[1] = x[1];
	k->b[0] = y[0];
	k->b[1] = y[1];
	k->ports = ports_word(px, py);
}

/* Orders the endpoints under a fixed total order: host words, then port. */
static inline void key_set(struct pf_pkey *k, const u64 x[2], u16 px, const u64 y[2], u16 py)
{
	int y_first;

	if (x[0] != y[0])
		y_first = y[0] < x[0];
	else if (x[1] != y[1])
		y_first = y[1] < x[1];
	else
		y_first = py < px;
	if (y_first)
		pkey_put(k, y, py, x, px);
	else
		pkey_put(k, x, px, y, py);
}

/* IPv4: the same order as key_set (word 0 grows with the address, word 1 is
 * 0), on (address, port) packed in one integer so it compiles branch-free. */
static inline void key_set_v4(struct pf_pkey *k, u32 x, u16 px, u32 y, u16 py)
{
	u64 kx = ((u64)x << 16) | px, ky = ((u64)y << 16) | py;
	u64 lo = ky < kx ? ky : kx, hi = ky < kx ? kx : ky;

	k->a[0] = v4_word((u32)(lo >> 16));
	k->a[1] = 0;
	k->b[0] = v4_word((u32)(hi >> 16));
	k->b[1] = 0;
	k->ports = ports_word((u16)lo, (u16)hi);
	k->v4 = 1;
}

/* The packet's canonical key; 0 when no rule can match it. */
static inline int key_from_pkt(struct pf_pkey *k, const struct pf_pkt *p)
{
	const struct pkt_parsing_info *in = &p->info;

	if (PF_UNLIKELY(!p->parsed_level))
		return 0;
	if (PF_LIKELY(in->ip_version == 4)) {
		key_set_v4(k, in->ip_src.v4, in->l4_src_port, in->ip_dst.v4, in->l4_dst_port);
	} else if (in->ip_version == 6) {
		u64 s[2], d[2];

		host_load(&in->ip_src, s);
		host_load(&in->ip_dst, d);
		key_set(k, s, in->l4_src_port, d, in->l4_dst_port);
		/* Both hosts of the form x:y:: give the key of an IPv4 rule, and
		 * an IPv6 packet matches no IPv4 rule. */
		k->v4 = words_v4(s) && words_v4(d);
		if (k->v4)
			return 0;
	} else {
		return 0;
	}
	k->vp = vp_word(in->vlan_id, in->l3_proto);
	return 1;
}

/* The rule's canonical key, or -PF_EINVAL for a wildcard / impossible key. */
static int key_from_rule(struct pf_pkey *k, const hash_filtering_rule *r)
{
	u64 a[2], b[2];

	if (!r)
		return -PF_EINVAL;
	host_load(&r->host_peer_a, a);
	host_load(&r->host_peer_b, b);
	if (r->proto == 0 || r->vlan_id > PF_VLAN_MAX ||
	    (a[0] | a[1]) == 0 || (b[0] | b[1]) == 0)
		return -PF_EINVAL;
	key_set(k, a, r->port_peer_a, b, r->port_peer_b);
	k->v4 = words_v4(a) && words_v4(b);
	k->vp = vp_word(r->vlan_id, r->proto);
	return 0;
}

/* -------------------------------------------------------------- hash */

#define PF_K1 0x9e3779b97f4a7c15ull
#define PF_K2 0xc2b2ae3d27d4eb4full

static inline u64 mix_in(u64 h, u64 w)
{
	h = (h ^ w) * PF_K1;
	return h ^ (h >> 32);
}

/* murmur3's 64-bit finalizer: every input bit reaches every output bit. */
static inline u64 fmix64(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Symmetric because the key is canonical. IPv4 keys (k->v4: the shape of the
 * hosts, for rules and packets alike) hash one word of hosts, IPv6 keys four. */
static inline u64 key_hash(const struct pf_precise_table *t, const struct pf_pkey *k)
{
	u64 rest = ((u64)k->ports << 32) | k->vp;
	u64 h = t->seed;

	if (PF_LIKELY(k->v4)) {
		/* Both v4 words in one: b's rotated into the half a's leaves 0. */
		h = mix_in(h, k->a[0] ^ ((k->b[0] << 32) | (k->b[0] >> 32)));
	} else {
		h = mix_in(h, k->a[0]);
		h = mix_in(h, k->a[1]);
		h = mix_in(h, k->b[0]);
		h = mix_in(h, k->b[1]);
	}
	return fmix64(h ^ rest * PF_K2);
}

static inline int key_eq(const hash_filtering_rule *r, const struct pf_pkey *k)
{
	u64 a[2], b[2];
	u32 ports;

	pf_memcpy(&ports, &r->port_peer_a, 4);
	if (ports != k->ports || vp_word(r->vlan_id, r->proto) != k->vp)
		return 0;
	host_load(&r->host_peer_a, a);
	host_load(&r->host_peer_b, b);
	return ((a[0] ^ k->a[0]) | (a[1] ^ k->a[1]) | (b[0] ^ k->b[0]) | (b[1] ^ k->b[1])) == 0;
}

/* -------------------------------------------------------------- buckets */

static inline struct pf_precise_node *word_node(const struct pf_precise_table *t, u32 w)
{
	return &t->pool[(w & t->idx_mask) - 1];
}

static inline u32 node_index(const struct pf_precise_table *t, const struct pf_precise_node *n)
{
	return (u32)(n - t->pool);
}

/* A key's two signature bits: positions from two 16-bit slices of the hash's
 * high half (the bucket index uses the low bits), never 0. */
static inline u32 sig_of(const struct pf_precise_table *t, u64 h)
{
	u32 p1 = (((u32)(h >> 32) & 0xffff) * t->sig_bits) >> 16;
	u32 p2 = ((u32)(h >> 48) * t->sig_bits) >> 16;

	return (1u << (t->sig_shift + p1)) | (1u << (t->sig_shift + p2));
}

/* The bucket word for a chain headed by n (NULL: empty). Writer side. */
static u32 head_word(const struct pf_precise_table *t, const struct pf_precise_node *n)
{
	const struct pf_precise_entry *e;
	u32 sig = 0;

	if (!n)
		return 0;
	for (e = &n->e; e; e = e->next)
		sig |= sig_of(t, ((const struct pf_precise_node *)e)->w.hash);
	return sig | (node_index(t, n) + 1);
}

static struct pf_precise_node *entry_node(struct pf_precise_entry *e)
{
	return (struct pf_precise_node *)e;   /* e is the node's first member */
}

/* Reader side (also used by writers under the lock). Inlined so the key stays
 * in registers on the packet path. */
static inline __attribute__((__always_inline__))
struct pf_precise_entry *find(const struct pf_precise_table *t, const struct pf_pkey *k, u64 h)
{
	u32 w = pf_load_acquire(&t->buckets[(u32)h & t->bmask]), sig = sig_of(t, h);
	struct pf_precise_entry *e;

	/* One well-predicted branch decides most misses, without a node. An
	 * empty bucket (w == 0) never passes: sig is never 0. */
	if ((w & sig) != sig)
		return 0;
	for (e = &word_node(t, w)->e; e; e = pf_load_acquire(&e->next))
		if (key_eq(&e->rule, k))
			return e;
	return 0;
}

struct pf_precise_entry *pf_precise_lookup(struct pf_precise_table *t,
					   const struct pf_pkt *p)
{
	struct pf_pkey k;

	if (!key_from_pkt(&k, p))
		return 0;
	return find(t, &k, key_hash(t, &k));
}

/* Under the write lock: unlink n, whose predecessor is prev (NULL: n heads
 * bucket b). n->e.next stays as it is for readers standing on n. */
static void unlink_locked(struct pf_precise_table *t, u32 b, struct pf_precise_node *prev,
			  struct pf_precise_node *n)
{
	struct pf_precise_entry *next = n->e.next;

	if (!prev) {
		pf_store_release(&t->buckets[b], head_word(t, next ? entry_node(next) : 0));
	} else {
		pf_store_release(&prev->e.next, next);
		/* Rebuild the signature without n's bits. */
		pf_store_release(&t->buckets[b], head_word(t, word_node(t, t->buckets[b])));
	}
	pf_store_relaxed(&t->count, t->count - 1);
}

/* -------------------------------------------------------------- pool */

static struct pf_precise_node *node_get(struct pf_precise_table *t)
{
	struct pf_precise_node *n = t->free;

	if (n) {
		t->free = n->w.link;
		return n;
	}
	if (t->used < t->capacity)
		return &t->pool[t->used++];
	return 0;
}

/* A node no reader can see any more: its plugin gets its per-rule memory
 * back, then the entry's reference on the plugin goes. The id is cleared so
 * that destroy, which walks recycled nodes too, releases nothing twice. */
static void node_release_plugin(struct pf_precise_table *t, struct pf_precise_node *n)
{
	struct pf_precise_entry *e = &n->e;
	struct pf_plugin_rule pr = { 0, &e->rule, &e->plugin_data };
	const struct pfring_plugin_registration *pl;
	u16 id = e->rule.plugin_action.plugin_id;

	if (!id)
		return;
	if (e->plugin_data) {
		pl = pf_plugin_get(id);
		if (pl && pl->pfring_plugin_free_rule_mem)
			pl->pfring_plugin_free_rule_mem(t->owner, &pr);
		e->plugin_data = 0;
	}
	e->rule.plugin_action.plugin_id = 0;
	pf_plugin_put(t->home, id);
}

/* Give back a list of unlinked nodes (linked through w.link) after a grace period. */
static void nodes_put(struct pf_precise_table *t, struct pf_precise_node *list)
{
	const struct pf_home *h = t->home;
	struct pf_precise_node *n;

	if (!list)
		return;
	h->synchronize(h->ctx);
	for (n = list; n; n = n->w.link)
		node_release_plugin(t, n);
	pf_home_write_lock(h);
	while (list) {
		struct pf_precise_node *n = list;

		list = n->w.link;
		n->w.link = t->free;
		t->free = n;
	}
	pf_home_write_unlock(h);
}

/* -------------------------------------------------------------- create */

static u32 pow2_at_least(u32 n)
{
	u32 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static u32 bit_length(u32 n)
{
	u32 b = 0;

	while (n) {
		b++;
		n >>= 1;
	}
	return b;
}

static size_t buckets_off(void)
{
	return (sizeof(struct pf_precise_table) + 7) & ~(size_t)7;
}

size_t pf_precise_bytes(u32 capacity)
{
	if (capacity == 0 || capacity > PF_PRECISE_MAX_CAPACITY)
		return 0;
	/* + 63: the home's allocator promises no alignment; the pool wants 64. */
	return buckets_off() + (size_t)pow2_at_least(capacity) * sizeof(u32) + 63 +
	       (size_t)capacity * sizeof(struct pf_precise_node);
}

static u64 table_seed(const struct pf_home *h, const void *mem)
{
	u64 s = (u64)(uintptr_t)mem;

	if (h->now_ns)
		s ^= h->now_ns(h->ctx) * PF_K2;
	return fmix64(s ^ PF_K1);
}

struct pf_precise_table *pf_precise_create(const struct pf_home *h, u32 capacity)
{
	size_t bytes = pf_precise_bytes(capacity);
	u32 nb = pow2_at_least(capacity), ib = bit_length(capacity);
	struct pf_precise_table *t;
	uintptr_t pool;

	if (!h || !h->alloc || !bytes)
		return 0;
	t = h->alloc(h->ctx, bytes);
	if (!t)
		return 0;
	t->buckets = (u32 *)((u8 *)t + buckets_off());
	pool = (uintptr_t)(t->buckets + nb);
	pool = (pool + 63) & ~(uintptr_t)63;
	t->pool = (struct pf_precise_node *)pool;
	t->seed = table_seed(h, t);
	t->bmask = nb - 1;
	t->idx_mask = (1u << ib) - 1;
	t->sig_shift = ib;
	t->sig_bits = 32 - ib;
	t->home = h;
	t->capacity = capacity;
	return t;   /* buckets zeroed by the home's alloc: all empty */
}

/* No reader may still see t: the caller unpublished it and waited for them. */
void pf_precise_destroy(struct pf_precise_table *t)
{
	u32 i;

	if (!t)
		return;
	/* linked and deferred entries; recycled ones hold no plugin any more */
	for (i = 0; i < t->used; i++)
		node_release_plugin(t, &t->pool[i]);
	t->home->free(t->home->ctx, t);
}

void pf_precise_set_owner(struct pf_precise_table *t, struct pf_socket *owner)
{
	if (t)
		t->owner = owner;
}

u32 pf_precise_count(const struct pf_precise_table *t)
{
	return t ? pf_load_relaxed(&t->count) : 0;
}

/* -------------------------------------------------------------- writers */

static int action_ok(const hash_filtering_rule *r)
{
	if ((u32)r->rule_action > (u32)bounce_packet_and_continue_rule_evaluation)
		return 0;
	if (r->plugin_action.plugin_id >= MAX_PLUGIN_ID)
		return 0;
	if ((r->rule_action == reflect_packet_and_stop_rule_evaluation ||
	     r->rule_action == reflect_packet_and_continue_rule_evaluation) &&
	    r->reflector_device_name[0] == '\0')
		return 0;
	return 1;
}

static void node_fill(struct pf_precise_node *n, const hash_filtering_rule *r,
		      const struct pf_pkey *k, u64 h, u64 now)
{
	struct pf_precise_entry *e = &n->e;

	pf_memcpy(&e->rule, r, sizeof(*r));
	pf_memcpy(&e->rule.host_peer_a, k->a, 16);
	pf_memcpy(&e->rule.host_peer_b, k->b, 16);
	pf_memcpy(&e->rule.port_peer_a, &k->ports, 4);   /* and port_peer_b */
	e->rule.internals.last_match_ns = now;   /* idle since */
	e->rule.internals.reflector_dev = 0;
	e->matched = 0;
	e->dropped = 0;
	e->last_match_ns = 0;
	e->plugin_data = 0;
	n->w.hash = h;
}

int pf_precise_add(struct pf_precise_table *t, const hash_filtering_rule *r)
{
	const struct pf_home *h;
	struct pf_precise_node *n;
	struct pf_pkey k;
	u64 hv, now;
	u32 b, w;
	int err;

	if (!t)
		return -PF_EINVAL;
	err = key_from_rule(&k, r);
	if (err)
		return err;
	if (!action_ok(r))
		return -PF_EINVAL;
	h = t->home;
	err = pf_plugin_hold(h, r->plugin_action.plugin_id);
	if (err)
		return err;
	hv = key_hash(t, &k);
	b = (u32)hv & t->bmask;
	now = h->now_ns ? h->now_ns(h->ctx) : 0;

	pf_home_write_lock(h);
	if (find(t, &k, hv)) {
		pf_home_write_unlock(h);
		pf_plugin_put(h, r->plugin_action.plugin_id);
		return -PF_EEXIST;
	}
	n = node_get(t);
	if (!n) {
		pf_home_write_unlock(h);
		pf_plugin_put(h, r->plugin_action.plugin_id);
		return -PF_ENOSPC;
	}
	node_fill(n, r, &k, hv, now);
	w = t->buckets[b];
	pf_store_relaxed(&n->e.next, w ? &word_node(t, w)->e : 0);
	pf_store_release(&t->buckets[b], head_word(t, n));
	pf_store_relaxed(&t->count, t->count + 1);
	pf_home_write_unlock(h);
	return 0;
}

/* Under the write lock: unlink the entry with key k, or NULL. */
static struct pf_precise_node *remove_locked(struct pf_precise_table *t,
					     const struct pf_pkey *k, u64 hv)
{
	struct pf_precise_node *prev = 0;
	u32 b = (u32)hv & t->bmask, w = t->buckets[b];
	struct pf_precise_entry *e;

	for (e = w ? &word_node(t, w)->e : 0; e; e = e->next) {
		if (key_eq(&e->rule, k)) {
			unlink_locked(t, b, prev, entry_node(e));
			return entry_node(e);
		}
		prev = entry_node(e);
	}
	return 0;
}

/* Under the write lock: move the entries unlinked by remove_deferred onto *gone. */
static void take_deferred_locked(struct pf_precise_table *t, struct pf_precise_node **gone)
{
	while (t->deferred) {
		struct pf_precise_node *n = t->deferred;

		t->deferred = n->w.link;
		n->w.link = *gone;
		*gone = n;
	}
}

static int remove_rule(struct pf_precise_table *t, const hash_filtering_rule *r, int deferred)
{
	struct pf_precise_node *n, *gone = 0;
	const struct pf_home *h;
	struct pf_pkey k;
	int err;

	if (!t)
		return -PF_EINVAL;
	err = key_from_rule(&k, r);
	if (err)
		return err;
	h = t->home;
	pf_home_write_lock(h);
	n = remove_locked(t, &k, key_hash(t, &k));
	if (n && deferred) {
		n->w.link = t->deferred;
		t->deferred = n;
	} else if (!deferred) {
		if (n) {
			n->w.link = 0;
			gone = n;
		}
		take_deferred_locked(t, &gone);
	}
	pf_home_write_unlock(h);
	nodes_put(t, gone);
	return n ? 0 : -PF_ENOENT;
}

int pf_precise_remove(struct pf_precise_table *t, const hash_filtering_rule *r)
{
	return remove_rule(t, r, 0);
}

/* The packet path's remove: no synchronize() here (it may sleep); the entry
 * waits on t->deferred until the next remove or purge, which run the grace
 * period for it. add never calls synchronize() (it may run on the packet
 * path too), so a table full of deferred entries refuses adds until then. */
int pf_precise_remove_deferred(struct pf_precise_table *t, const hash_filtering_rule *r)
{
	return remove_rule(t, r, 1);
}

int pf_precise_get_locked(struct pf_precise_table *t, const hash_filtering_rule *r,
			  struct pf_precise_entry **out)
{
	struct pf_pkey k;
	int err;

	if (!t || !out)
		return -PF_EINVAL;
	err = key_from_rule(&k, r);
	if (err)
		return err;
	*out = find(t, &k, key_hash(t, &k));
	return *out ? 0 : -PF_ENOENT;
}

int pf_precise_stats(struct pf_precise_table *t, const hash_filtering_rule *r,
		     pfring_rule_stats *out)
{
	struct pf_precise_entry *e;
	const struct pf_home *h;
	struct pf_pkey k;
	int err;

	if (!t || !out)
		return -PF_EINVAL;
	err = key_from_rule(&k, r);
	if (err)
		return err;
	h = t->home;
	pf_home_read_lock(h);
	e = find(t, &k, key_hash(t, &k));
	if (e) {
		out->matching_packets = pf_load_relaxed(&e->matched);
		out->dropped_packets = pf_load_relaxed(&e->dropped);
	}
	pf_home_read_unlock(h);
	return e ? 0 : -PF_ENOENT;
}

static int is_idle(const struct pf_precise_entry *e, u64 now_ns, u64 idle_ns)
{
	u64 since = pf_load_relaxed(&e->last_match_ns);

	if (since == 0)
		since = e->rule.internals.last_match_ns;
	return now_ns > since && now_ns - since > idle_ns;
}

/* Under the write lock: unlink the idle entries of bucket b onto *gone. */
static int purge_bucket_locked(struct pf_precise_table *t, u32 b, u64 now_ns, u64 idle_ns,
			       struct pf_precise_node **gone)
{
	struct pf_precise_node *prev = 0, *n;
	struct pf_precise_entry *e;
	u32 w = t->buckets[b];
	int cnt = 0;

	for (e = w ? &word_node(t, w)->e : 0; e; e = e->next) {
		n = entry_node(e);
		if (!is_idle(e, now_ns, idle_ns)) {
			prev = n;
			continue;
		}
		unlink_locked(t, b, prev, n);
		/* e->next is untouched, so the walk goes on from here. */
		n->w.link = *gone;
		*gone = n;
		cnt++;
	}
	return cnt;
}

int pf_precise_purge_idle(struct pf_precise_table *t, u64 now_ns, u32 idle_sec)
{
	u64 idle_ns = (u64)idle_sec * PF_NSEC_PER_SEC;
	struct pf_precise_node *gone = 0;
	const struct pf_home *h;
	int cnt = 0;
	u32 b;

	if (!t)
		return -PF_EINVAL;
	h = t->home;
	pf_home_write_lock(h);
	for (b = 0; b <= t->bmask; b++)
		if (t->buckets[b])
			cnt += purge_bucket_locked(t, b, now_ns, idle_ns, &gone);
	take_deferred_locked(t, &gone);
	pf_home_write_unlock(h);
	nodes_put(t, gone);
	return cnt;
}
