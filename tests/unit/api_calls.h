/*
 * tests/unit/api_calls.h - every pfring_* call that reaches a backend's operation,
 * once each with valid arguments, by name: the rows of docs/api.md. A backend's
 * test lists the calls its column says are NOT_SUPPORTED and checks that exactly
 * those are (api_check_backend). Include after <cmocka.h>.
 *
 * Each thunk returns the call's result as an int; the calls whose return type has
 * no room for an error (pointers, void, counts) return PF_RING_ERROR_NOT_SUPPORTED
 * when they failed with errno EOPNOTSUPP, 0 otherwise. A call that is supported
 * may act (send a frame, join cluster 99, add rule 1): use a ring of its own.
 * The ring must have PF_RING_LONG_HEADER and no PF_RING_REENTRANT, or the front
 * refuses pfring_send_last_rx_packet itself.
 */
#ifndef PF_TEST_API_CALLS_H
#define PF_TEST_API_CALLS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pfring.h>
#include "stderr_capture.h"

#define API_NS PF_RING_ERROR_NOT_SUPPORTED

/* The libzero slave calls: only dnacluster: has libzero buffers (docs/api.md, 9.1). */
#define API_NS_LIBZERO "alloc_pkt_buff release_pkt_buff recv_pkt_buff send_pkt_buff " \
	"get_pkt_buff_data set_pkt_buff_len set_pkt_buff_ifindex add_pkt_buff_ifindex"

/* The calls no backend has an operation for (and the libzero ones, dnacluster:'s only). */
#define API_NS_EVERYWHERE "set_master_id set_master send_parsed enable_hw_timestamp " \
	API_NS_LIBZERO

static u_char api_frame[60] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x00, 0x00,
				0x00, 0x00, 0x01, 0x08, 0x06 };
static int api_dummy_buff;

/* NOT_SUPPORTED when errno says so (for the calls without an error return). */
static inline int api_errno_ns(void)
{
	return errno == EOPNOTSUPP ? API_NS : 0;
}

static inline int c_next_pkt_time(pfring *r)
{
	struct timespec ts;

	return pfring_next_pkt_time(r, &ts);
}

static inline int c_next_pkt_raw_timestamp(pfring *r)
{
	u_int64_t ns;

	return pfring_next_pkt_raw_timestamp(r, &ns);
}

static inline int c_is_pkt_available(pfring *r) { return pfring_is_pkt_available(r); }

static inline int c_get_num_queued_pkts(pfring *r)
{
	errno = 0;
	return pfring_get_num_queued_pkts(r) == 0 ? api_errno_ns() : 0;
}

static inline int c_poll(pfring *r) { return pfring_poll(r, 0); }
static inline int c_set_cluster(pfring *r) { return pfring_set_cluster(r, 99, cluster_round_robin); }
static inline int c_remove_from_cluster(pfring *r) { return pfring_remove_from_cluster(r); }
static inline int c_set_master_id(pfring *r) { return pfring_set_master_id(r, 1); }

static inline int c_set_master(pfring *r)
{
	static pfring other;    /* never dereferenced where the call is not supported */

	return pfring_set_master(r, &other);
}

static inline int c_set_reflector_device(pfring *r)
{
	return pfring_set_reflector_device(r, (char *)"nosuch0");
}

static inline int c_set_sampling_rate(pfring *r) { return pfring_set_sampling_rate(r, 1); }

static inline int c_add_filtering_rule(pfring *r)
{
	filtering_rule rule;

	memset(&rule, 0, sizeof(rule));
	rule.rule_id = 1;
	rule.rule_action = forward_packet_and_stop_rule_evaluation;
	return pfring_add_filtering_rule(r, &rule);
}

static inline int c_remove_filtering_rule(pfring *r) { return pfring_remove_filtering_rule(r, 1); }

static inline int c_get_filtering_rule_stats(pfring *r)
{
	char stats[64];
	u_int len = sizeof(stats);

	return pfring_get_filtering_rule_stats(r, 1, stats, &len);
}

static inline int c_purge_idle_rules(pfring *r) { return pfring_purge_idle_rules(r, 100); }

static inline void api_hash_rule(hash_filtering_rule *rule)
{
	memset(rule, 0, sizeof(*rule));
	rule->proto = 6;
	rule->host4_peer_a = 0x0a000001;
	rule->host4_peer_b = 0x0a000002;
	rule->port_peer_a = 1;
	rule->port_peer_b = 2;
	rule->rule_action = dont_forward_packet_and_stop_rule_evaluation;
}

static inline int c_handle_hash_filtering_rule(pfring *r)
{
	hash_filtering_rule rule;

	api_hash_rule(&rule);
	return pfring_handle_hash_filtering_rule(r, &rule, 1);
}

static inline int c_get_hash_filtering_rule_stats(pfring *r)
{
	hash_filtering_rule rule;
	char stats[64];
	u_int len = sizeof(stats);

	api_hash_rule(&rule);
	return pfring_get_hash_filtering_rule_stats(r, &rule, stats, &len);
}

static inline int c_purge_idle_hash_rules(pfring *r) { return pfring_purge_idle_hash_rules(r, 100); }
static inline int c_set_bpf_filter(pfring *r) { return pfring_set_bpf_filter(r, (char *)"tcp"); }
static inline int c_remove_bpf_filter(pfring *r) { return pfring_remove_bpf_filter(r); }

static inline int c_add_hw_rule(pfring *r)
{
	hw_filtering_rule rule;

	memset(&rule, 0, sizeof(rule));
	rule.rule_family_type = intel_82599_five_tuple_rule;
	rule.rule_id = 1;
	return pfring_add_hw_rule(r, &rule);
}

static inline int c_remove_hw_rule(pfring *r) { return pfring_remove_hw_rule_by_id(r, 1); }

static inline int c_set_filtering_mode(pfring *r)
{
	return pfring_set_filtering_mode(r, hardware_and_software);
}

static inline int c_toggle_filtering_policy(pfring *r) { return pfring_toggle_filtering_policy(r, 1); }

static inline int c_send(pfring *r)
{
	return pfring_send(r, (char *)api_frame, sizeof(api_frame), 1);
}

static inline int c_send_ifindex(pfring *r)
{
	return pfring_send_ifindex(r, (char *)api_frame, sizeof(api_frame), 1, 1);
}

static inline int c_send_get_time(pfring *r)
{
	struct timespec ts;

	return pfring_send_get_time(r, (char *)api_frame, sizeof(api_frame), &ts);
}

static inline int c_send_last_rx_packet(pfring *r) { return pfring_send_last_rx_packet(r, -1); }

static inline int c_send_parsed(pfring *r)
{
	struct pfring_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = h.len = sizeof(api_frame);
	return pfring_send_parsed(r, (char *)api_frame, &h, 1);
}

static inline int c_stats(pfring *r)
{
	pfring_stat st;

	return pfring_stats(r, &st);
}

static inline int c_set_direction(pfring *r) { return pfring_set_direction(r, rx_and_tx_direction); }
static inline int c_set_tx_watermark(pfring *r) { return pfring_set_tx_watermark(r, 1); }
static inline int c_set_channel_id(pfring *r) { return pfring_set_channel_id(r, 0); }

static inline int c_get_bound_device_address(pfring *r)
{
	u_char mac[6];

	return pfring_get_bound_device_address(r, mac);
}

static inline int c_get_bound_device_id(pfring *r)
{
	int id;

	return pfring_get_bound_device_id(r, &id);
}

static inline int c_get_bound_device_ifindex(pfring *r)
{
	int id;

	return pfring_get_bound_device_ifindex(r, &id);
}

static inline int c_get_ring_id(pfring *r)
{
	errno = 0;
	return pfring_get_ring_id(r) == (u_int16_t)API_NS ? api_errno_ns() : 0;
}

static inline int c_enable_rss_rehash(pfring *r) { return pfring_enable_rss_rehash(r); }

static inline int c_get_device_clock(pfring *r)
{
	struct timespec ts;

	return pfring_get_device_clock(r, &ts);
}

static inline int c_set_device_clock(pfring *r)
{
	struct timespec ts = { 1700000000, 0 };

	return pfring_set_device_clock(r, &ts);
}

static inline int c_adjust_device_clock(pfring *r)
{
	struct timespec ts = { 0, 0 };

	return pfring_adjust_device_clock(r, &ts, 1);
}

static inline int c_enable_hw_timestamp(pfring *r)
{
	return pfring_enable_hw_timestamp(r, (char *)"eth0", 1, 1);
}

static inline int c_get_mtu_size(pfring *r) { return pfring_get_mtu_size(r); }

static inline int c_get_device_ifindex(pfring *r)
{
	int ifindex;

	return pfring_get_device_ifindex(r, (char *)"nosuch0", &ifindex);
}

static inline int c_loopback_test(pfring *r)
{
	char buf[16];

	return pfring_loopback_test(r, buf, sizeof(buf), sizeof(buf));
}

static inline int c_set_channel_mask(pfring *r) { return pfring_set_channel_mask(r, 1); }

static inline int c_alloc_pkt_buff(pfring *r)
{
	errno = 0;
	return pfring_alloc_pkt_buff(r) == NULL ? api_errno_ns() : 0;
}

static inline int c_release_pkt_buff(pfring *r)
{
	errno = 0;
	pfring_release_pkt_buff(r, &api_dummy_buff);
	return api_errno_ns();
}

static inline int c_recv_pkt_buff(pfring *r)
{
	struct pfring_pkthdr h;

	return pfring_recv_pkt_buff(r, &api_dummy_buff, &h, 0);
}

static inline int c_send_pkt_buff(pfring *r) { return pfring_send_pkt_buff(r, &api_dummy_buff, 1); }

static inline int c_get_pkt_buff_data(pfring *r)
{
	errno = 0;
	return pfring_get_pkt_buff_data(r, &api_dummy_buff) == NULL ? api_errno_ns() : 0;
}

static inline int c_set_pkt_buff_len(pfring *r) { return pfring_set_pkt_buff_len(r, &api_dummy_buff, 60); }

static inline int c_set_pkt_buff_ifindex(pfring *r)
{
	return pfring_set_pkt_buff_ifindex(r, &api_dummy_buff, 1);
}

static inline int c_add_pkt_buff_ifindex(pfring *r)
{
	return pfring_add_pkt_buff_ifindex(r, &api_dummy_buff, 1);
}

struct api_call {
	const char *name;       /* the function without its pfring_ prefix */
	int (*call)(pfring *r);
};

#define API_CALL(n) { #n, c_##n }

/* Every call whose answer depends on the backend's operation (docs/api.md). */
static const struct api_call api_calls[] = {
	API_CALL(next_pkt_time), API_CALL(next_pkt_raw_timestamp), API_CALL(is_pkt_available),
	API_CALL(get_num_queued_pkts), API_CALL(poll), API_CALL(set_cluster),
	API_CALL(remove_from_cluster), API_CALL(set_master_id), API_CALL(set_master),
	API_CALL(set_reflector_device), API_CALL(set_sampling_rate),
	API_CALL(add_filtering_rule), API_CALL(remove_filtering_rule),
	API_CALL(get_filtering_rule_stats), API_CALL(purge_idle_rules),
	API_CALL(handle_hash_filtering_rule), API_CALL(get_hash_filtering_rule_stats),
	API_CALL(purge_idle_hash_rules), API_CALL(set_bpf_filter), API_CALL(remove_bpf_filter),
	API_CALL(add_hw_rule), API_CALL(remove_hw_rule), API_CALL(set_filtering_mode),
	API_CALL(toggle_filtering_policy), API_CALL(send), API_CALL(send_ifindex),
	API_CALL(send_get_time), API_CALL(send_last_rx_packet), API_CALL(send_parsed),
	API_CALL(stats), API_CALL(set_direction), API_CALL(set_tx_watermark),
	API_CALL(set_channel_id), API_CALL(get_bound_device_address),
	API_CALL(get_bound_device_id), API_CALL(get_bound_device_ifindex), API_CALL(get_ring_id),
	API_CALL(enable_rss_rehash), API_CALL(get_device_clock), API_CALL(set_device_clock),
	API_CALL(adjust_device_clock), API_CALL(enable_hw_timestamp), API_CALL(get_mtu_size),
	API_CALL(get_device_ifindex), API_CALL(loopback_test), API_CALL(set_channel_mask),
	API_CALL(alloc_pkt_buff), API_CALL(release_pkt_buff), API_CALL(recv_pkt_buff),
	API_CALL(send_pkt_buff), API_CALL(get_pkt_buff_data), API_CALL(set_pkt_buff_len),
	API_CALL(set_pkt_buff_ifindex), API_CALL(add_pkt_buff_ifindex),
};

#define API_NUM_CALLS (sizeof(api_calls) / sizeof(api_calls[0]))

/* Is name a word of the space-separated list? */
static inline int api_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(list, name); p; p = strstr(p + 1, name))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The first word of list that names no call of the table (a typo must not
 * pass), copied to word; 0 when every word names one. */
static inline int api_unknown_word(const char *list, char *word, size_t word_len)
{
	const char *p = list;
	unsigned int i, found;
	size_t n;

	while (*p) {
		n = strcspn(p, " ");
		snprintf(word, word_len, "%.*s", (int)n, p);
		for (i = 0, found = 0; i < API_NUM_CALLS; i++)
			found |= strcmp(api_calls[i].name, word) == 0;
		if (!found)
			return 1;
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

/*
 * Calls every function of the table on r: those listed in not_supported must
 * return PF_RING_ERROR_NOT_SUPPORTED with errno EOPNOTSUPP, every other one
 * anything else. Each call that does not is described in wrong (empty when all
 * agree; the caller fails with it once stderr is its own again: the calls print
 * their own messages), as is a word of the list that names no call.
 */
static inline void api_calls_run(pfring *r, const char *not_supported, char *wrong,
				 size_t wrong_len)
{
	unsigned int i;
	size_t used = 0;
	char word[64];

	if (api_unknown_word(not_supported, word, sizeof(word))) {
		snprintf(wrong, wrong_len, " api_calls.h has no call \"%s\"", word);
		return;
	}
	wrong[0] = '\0';
	for (i = 0; i < API_NUM_CALLS; i++) {
		int rc, err, got, want = api_listed(not_supported, api_calls[i].name);

		errno = 0;
		rc = api_calls[i].call(r);
		err = errno;
		got = rc == API_NS && err == EOPNOTSUPP;
		if (got != want && used < wrong_len)
			used += (size_t)snprintf(wrong + used, wrong_len - used,
						 " pfring_%s returned %d (errno %d), listed %s;",
						 api_calls[i].name, rc, err,
						 want ? "NOT_SUPPORTED" : "supported");
	}
}

/* api_calls_run on r, its calls' messages kept off the output; fails naming
 * every call that disagrees with the list. */
static inline void api_check_backend(pfring *r, const char *backend, const char *not_supported)
{
	char msg[8192], wrong[2048];

	capture_begin();
	api_calls_run(r, not_supported, wrong, sizeof(wrong));
	capture_end(msg, sizeof(msg));
	if (wrong[0])
		fail_msg("%s, against docs/api.md:%s", backend, wrong);
}

#endif /* PF_TEST_API_CALLS_H */
