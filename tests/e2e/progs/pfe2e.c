/*
 * tests/e2e/progs/pfe2e.c - the guest tests' capture program: libpfring's public
 * API only (pfring.h), so what it checks is what applications get.
 *
 *   pfe2e capture -i DEV [options]    receive until idle, print exact counts
 *   pfe2e expect PCAP [BPF]           "FRAMES BYTES60": frames of a fixture matching
 *                                     BPF (libpcap), their bytes padded to 60
 *   pfe2e layout                      "slot_hdr_long N": bytes before a frame in a
 *                                     long-header slot (core/ring.h layout)
 *   pfe2e unpriv                      as uid 65534: opening a PF_RING socket must fail EPERM
 *   pfe2e open-unpriv DEV             as uid 65534: pfring_open(DEV) must fail (exit 0);
 *                                     the library's message on stderr, "open: errno N"
 *   pfe2e fuzz DEV ITERATIONS SEED    random socket calls on PF_RING sockets (no libpfring)
 *   pfe2e badopts DEV                 each bad socket call gets its documented errno
 *   pfe2e bpf0 DEV                    BPF at level 0: bad programs EINVAL, detach ENOENT
 *
 * capture options:
 *   -c ID -t TYPE   join cluster ID (cluster_type value, default 0 = per flow)
 *   -f BPF          pfring_set_bpf_filter
 *   -B BPF          compiled by libpcap, attached with setsockopt(pfring_get_selectable_fd,
 *                   0, SO_ATTACH_FILTER) as libpcap-ring and Snort's DAQ do
 *   -D              then SO_DETACH_FILTER at level 0 again (before enabling)
 *   -W ID,ACT,PROTO,PORT[,PLUGIN]  wildcard rule: proto, port on either side
 *                   (bidirectional); ACT drop|fwd|bounce (bounce: back out of the NIC it
 *                   came in on, and forwarded); PLUGIN: plugin_action.plugin_id
 *   -S METHOD,CALLER  the -W rule matches only SIP requests of METHOD (INVITE, BYE, ...)
 *                   whose From header contains CALLER (the sip plugin's filter)
 *   -H PCAP:N       precise (hash) rule dropping the flow of frame N of PCAP
 *   -A 0|1          pfring_toggle_filtering_policy (default accept)
 *   -s RATE         pfring_set_sampling_rate
 *   -e DIR          pfring_set_direction (0 rx+tx, 1 rx, 2 tx)
 *   -l CAPLEN       capture length (default 1518)
 *   -q SECS         stop after SECS without packets once one came (default 2)
 *   -m SECS         give up if nothing came within SECS (default 30)
 *   -R FILE         create FILE once the ring is enabled (tests wait for it)
 *   -o FILE         write the frames received to FILE (pcap)
 *   -k FILE         write each frame's digest to FILE, one line per frame: the CRC-32
 *                   of its bytes in 8 hex digits (the host's fixture facts map digests
 *                   to flow keys), "cut" for a frame shorter than its wire length
 *   -x              print the stats of rule -W at the end: "rule matched M dropped D",
 *                   or with a PLUGIN the counter plugin's "plugin packets P bytes B"
 *   -d SECS         sleep SECS after enabling, before reading (fills a small ring)
 *   -g FILE         after enabling, wait until FILE exists before reading
 *   -G FILE         create -R's FILE once set up, then enable only when FILE exists
 *                   (a cluster member that joins now and starts later)
 *   -P N:FILE       create FILE when the N-th frame has been received
 *   -v              print "frame CAPLEN LEN IFINDEX" for every frame (extended header)
 *   -L              pfring_send_last_rx_packet(ring, -1) after every frame received
 * Output: "device gone" when the device was unregistered (pfring_recv's
 * ENODEV ends the capture), "received N", "recv R drop D" (pfring_stats), "ring seen S filtered F
 * unsampled U inserted I dropped_full D refused R" (SO_GET_RING_STATS on the
 * ring's socket), one line each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <pcap/pcap.h>
#include <pfring.h>
#include "core/abi.h"
#include "raw_bind.h"
#include "plugins/sample_plugins.h"
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crc32.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
	fprintf(stderr, "pfe2e: %s failed (%d, errno %d: %s)\n", what, rc, errno, strerror(errno));
	exit(1);
}

static pcap_t *open_fixture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p) {
		fprintf(stderr, "pfe2e: %s\n", err);
		exit(1);
	}
	return p;
}

static int cmd_expect(int argc, char **argv)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	struct bpf_program prog;
	pcap_t *p;
	long n = 0, bytes60 = 0;

	if (argc < 1)
		return 2;
	p = open_fixture(argv[0]);
	if (argc > 1 && pcap_compile(p, &prog, argv[1], 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fprintf(stderr, "pfe2e: %s\n", pcap_geterr(p));
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (argc > 1 && !pcap_offline_filter(&prog, h, d))
			continue;
		n++;
		bytes60 += h->len < 60 ? 60 : h->len;
	}
	printf("%ld %ld\n", n, bytes60);
	if (argc > 1)
		pcap_freecode(&prog);
	pcap_close(p);
	return 0;
}

/* The precise rule that matches frame n of a fixture, and its reply. */
static void precise_rule_from(const char *spec, hash_filtering_rule *r)
{
	char path[512];
	const char *colon = strrchr(spec, ':');
	struct pcap_pkthdr *h;
	struct pfring_pkthdr ph;
	const u_char *d;
	long want, i = 0;
	pcap_t *p;

	if (!colon || (size_t)(colon - spec) >= sizeof(path)) {
		fprintf(stderr, "pfe2e: -H PCAP:N\n");
		exit(2);
	}
	memcpy(path, spec, colon - spec);
	path[colon - spec] = 0;
	want = atol(colon + 1);
	p = open_fixture(path);
	while (pcap_next_ex(p, &h, &d) == 1 && i++ < want)
		;
	memset(&ph, 0, sizeof(ph));
	ph.caplen = h->caplen;
	ph.len = h->len;
	pfring_parse_pkt((u_char *)d, &ph, 4, 0, 0);
	memset(r, 0, sizeof(*r));
	r->rule_id = 1;
	r->proto = ph.extended_hdr.parsed_pkt.l3_proto;
	r->host_peer_a = ph.extended_hdr.parsed_pkt.ip_src;
	r->host_peer_b = ph.extended_hdr.parsed_pkt.ip_dst;
	r->port_peer_a = ph.extended_hdr.parsed_pkt.l4_src_port;
	r->port_peer_b = ph.extended_hdr.parsed_pkt.l4_dst_port;
	r->vlan_id = ph.extended_hdr.parsed_pkt.vlan_id;
	r->rule_action = dont_forward_packet_and_stop_rule_evaluation;
	pcap_close(p);
}

static void wildcard_rule_from(const char *spec, filtering_rule *r)
{
	unsigned id, proto, port, plugin = 0;
	char act[8];

	if (sscanf(spec, "%u,%7[a-z],%u,%u,%u", &id, act, &proto, &port, &plugin) < 4) {
		fprintf(stderr, "pfe2e: -W ID,drop|fwd|bounce,PROTO,PORT[,PLUGIN]\n");
		exit(2);
	}
	memset(r, 0, sizeof(*r));
	r->plugin_action.plugin_id = plugin;
	r->rule_id = id;
	r->rule_action = strcmp(act, "drop") == 0 ? dont_forward_packet_and_stop_rule_evaluation :
			 strcmp(act, "bounce") == 0 ? bounce_packet_and_stop_rule_evaluation :
						      forward_packet_and_stop_rule_evaluation;
	r->bidirectional = 1;
	r->core_fields.proto = proto;
	r->core_fields.dport_low = r->core_fields.dport_high = port;
}

/* libpcap-ring's and Snort's DAQ's way (PF_RING 5.4.6's module took BPF at
 * level 0): the expression compiled by libpcap, attached at level 0 on the
 * ring's selectable fd; detach: the same option at level 0 afterwards. */
static void bpf_level0(pfring *ring, const char *expr, int detach)
{
	int fd = pfring_get_selectable_fd(ring), dummy = 0;
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 1518);
	struct bpf_program bp;
	struct sock_fprog fp;

	if (pcap_compile(dead, &bp, expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
		die("pcap_compile", -1);
	fp.len = (unsigned short)bp.bf_len;
	fp.filter = (struct sock_filter *)bp.bf_insns;
	if (setsockopt(fd, 0, SO_ATTACH_FILTER, &fp, sizeof(fp)) != 0)
		die("setsockopt(fd, 0, SO_ATTACH_FILTER)", -1);
	if (detach && setsockopt(fd, 0, SO_DETACH_FILTER, &dummy, sizeof(dummy)) != 0)
		die("setsockopt(fd, 0, SO_DETACH_FILTER)", -1);
	pcap_freecode(&bp);
	pcap_close(dead);
}

/* -S METHOD,CALLER: the sip plugin filters rule r (spec 10.5). */
static void sip_filter_from(const char *spec, filtering_rule *r)
{
	static const char *const methods[] = { [method_invite] = "INVITE", [method_ack] = "ACK",
		[method_bye] = "BYE", [method_cancel] = "CANCEL", [method_options] = "OPTIONS",
		[method_register] = "REGISTER" };
	struct sip_filter *f = (struct sip_filter *)r->extended_fields.filter_plugin_data;
	const char *comma = strchr(spec, ',');
	unsigned m;

	_Static_assert(sizeof(r->extended_fields.filter_plugin_data) >= sizeof(*f), "sip filter");
	memset(f, 0, sizeof(*f));
	for (m = method_invite; comma && m < method_unknown; m++)
		if ((size_t)(comma - spec) == strlen(methods[m]) &&
		    strncmp(spec, methods[m], comma - spec) == 0)
			break;
	if (!comma || m == method_unknown || strlen(comma + 1) >= sizeof(f->caller)) {
		fprintf(stderr, "pfe2e: -S INVITE|ACK|BYE|CANCEL|OPTIONS|REGISTER,CALLER\n");
		exit(2);
	}
	f->method = (u_int8_t)m;
	strcpy(f->caller, comma + 1);
	r->extended_fields.filter_plugin_id = SIP_PLUGIN_ID;
}

/* -x: the rule's statistics, or its action plugin's (the counter's). */
static void print_rule_stats(pfring *ring, const filtering_rule *r)
{
	union {
		pfring_rule_stats rule;
		struct counter_plugin_stats counter;
	} st;
	u_int len = sizeof(st);

	if (pfring_get_filtering_rule_stats(ring, r->rule_id, (char *)&st, &len) != 0)
		printf("rule stats failed (errno %d)\n", errno);
	else if (r->plugin_action.plugin_id)
		printf("plugin packets %llu bytes %llu\n", (unsigned long long)st.counter.packets,
		       (unsigned long long)st.counter.bytes);
	else
		printf("rule matched %llu dropped %llu\n",
		       (unsigned long long)st.rule.matching_packets,
		       (unsigned long long)st.rule.dropped_packets);
}

/* Every term of the accounting identity, as pf_ring.ko's socket reports them. */
static void print_ring_stats(pfring *ring)
{
	struct pf_ring_socket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(pfring_get_selectable_fd(ring), SOL_PF_RING, SO_GET_RING_STATS,
		       &st, &len) != 0 || len != sizeof(st)) {
		printf("ring stats failed (errno %d)\n", errno);
		return;
	}
	printf("ring seen %llu filtered %llu unsampled %llu inserted %llu dropped_full %llu "
	       "refused %llu\n", (unsigned long long)st.seen, (unsigned long long)st.filtered,
	       (unsigned long long)st.unsampled, (unsigned long long)st.inserted,
	       (unsigned long long)st.dropped_full, (unsigned long long)st.refused);
}

static void wait_for_file(const char *path)
{
	while (access(path, F_OK) != 0)
		usleep(20000);
}

static int cmd_capture(int argc, char **argv)
{
	const char *dev = "eth0", *bpf = NULL, *ready = NULL, *out = NULL, *keys = NULL;
	const char *wspec = NULL, *hspec = NULL, *sspec = NULL, *go = NULL, *bpf0 = NULL;
	const char *enable_when = NULL, *progress = NULL;
	long progress_at = 0;
	filtering_rule wrule;
	int opt, cluster = -1, ctype = 0, policy = -1, dir = -1, rule_stats = 0, verbose = 0, resend = 0, rc;
	int detach0 = 0;
	unsigned caplen = 1518, rate = 0, idle = 2, maxwait = 30, delay = 0;
	pcap_dumper_t *dump = NULL;
	pcap_t *dead = NULL;
	FILE *kf = NULL;
	long got = 0;
	double last;
	pfring *ring;

	while ((opt = getopt(argc, argv, "i:c:t:f:B:DW:S:H:A:s:e:l:q:m:R:o:k:xd:g:G:P:vL")) != -1) {
		switch (opt) {
		case 'i': dev = optarg; break;
		case 'c': cluster = atoi(optarg); break;
		case 't': ctype = atoi(optarg); break;
		case 'f': bpf = optarg; break;
		case 'B': bpf0 = optarg; break;
		case 'D': detach0 = 1; break;
		case 'W': wspec = optarg; break;
		case 'S': sspec = optarg; break;
		case 'H': hspec = optarg; break;
		case 'A': policy = atoi(optarg); break;
		case 's': rate = atoi(optarg); break;
		case 'e': dir = atoi(optarg); break;
		case 'l': caplen = atoi(optarg); break;
		case 'q': idle = atoi(optarg); break;
		case 'm': maxwait = atoi(optarg); break;
		case 'R': ready = optarg; break;
		case 'G': enable_when = optarg; break;
		case 'P':
			progress_at = strtol(optarg, (char **)&progress, 10);
			if (progress_at <= 0 || *progress++ != ':')
				return 2;
			break;
		case 'o': out = optarg; break;
		case 'k': keys = optarg; break;
		case 'x': rule_stats = 1; break;
		case 'd': delay = atoi(optarg); break;
		case 'g': go = optarg; break;
		case 'v': verbose = 1; break;
		case 'L': resend = 1; break;
		default: return 2;
		}
	}
	ring = pfring_open(dev, caplen, PF_RING_PROMISC | PF_RING_LONG_HEADER);
	if (!ring)
		die("pfring_open", -1);
	pfring_set_application_name(ring, "pfe2e");
	if (cluster >= 0 && (rc = pfring_set_cluster(ring, cluster, ctype)) != 0)
		die("pfring_set_cluster", rc);
	if (bpf && (rc = pfring_set_bpf_filter(ring, (char *)bpf)) != 0)
		die("pfring_set_bpf_filter", rc);
	if (bpf0)
		bpf_level0(ring, bpf0, detach0);
	if (policy >= 0 && (rc = pfring_toggle_filtering_policy(ring, policy)) != 0)
		die("pfring_toggle_filtering_policy", rc);
	if (wspec) {
		wildcard_rule_from(wspec, &wrule);
		if (sspec)
			sip_filter_from(sspec, &wrule);
		if ((rc = pfring_add_filtering_rule(ring, &wrule)) != 0)
			die("pfring_add_filtering_rule", rc);
	}
	if (hspec) {
		hash_filtering_rule r;

		precise_rule_from(hspec, &r);
		if ((rc = pfring_handle_hash_filtering_rule(ring, &r, 1)) != 0)
			die("pfring_handle_hash_filtering_rule", rc);
	}
	if (rate && (rc = pfring_set_sampling_rate(ring, rate)) != 0)
		die("pfring_set_sampling_rate", rc);
	if (dir >= 0 && (rc = pfring_set_direction(ring, dir)) != 0)
		die("pfring_set_direction", rc);
	if (out) {
		dead = pcap_open_dead(DLT_EN10MB, caplen);
		dump = pcap_dump_open(dead, out);
		if (!dump)
			die("pcap_dump_open", -1);
	}
	if (keys && !(kf = fopen(keys, "w")))
		die("fopen keys", -1);
	if (enable_when && ready)
		fclose(fopen(ready, "w"));
	if (enable_when)
		wait_for_file(enable_when);
	if ((rc = pfring_enable_ring(ring)) != 0)
		die("pfring_enable_ring", rc);
	if (ready && !enable_when)
		fclose(fopen(ready, "w"));
	if (delay)
		sleep(delay);
	if (go)
		wait_for_file(go);

	last = now_s();
	for (;;) {
		struct pfring_pkthdr h;
		u_char *buf = NULL;
		double t;

		rc = pfring_recv(ring, &buf, 0, &h, 0);
		if (rc < 0 && errno == ENODEV) {   /* its device went away: the end */
			printf("device gone\n");
			break;
		}
		if (rc < 0)
			die("pfring_recv", rc);
		t = now_s();
		if (rc == 0) {
			if (t - last > (got ? idle : maxwait))
				break;
			pfring_poll(ring, 50);
			continue;
		}
		got++;
		last = t;
		if (got == progress_at)
			fclose(fopen(progress, "w"));
		if (verbose)
			printf("frame %u %u %d\n", h.caplen, h.len, h.extended_hdr.if_index);
		if (resend && (rc = pfring_send_last_rx_packet(ring, -1)) < 0)
			die("pfring_send_last_rx_packet", rc);
		if (dump) {
			struct pcap_pkthdr ph = { .caplen = h.caplen, .len = h.len };

			ph.ts = h.ts;
			pcap_dump((u_char *)dump, &ph, buf);
		}
		if (kf && h.caplen < h.len)
			fprintf(kf, "cut\n");
		else if (kf)
			fprintf(kf, "%08x\n", crc32_of(buf, h.caplen));
	}
	printf("received %ld\n", got);
	{
		pfring_stat st;

		if (pfring_stats(ring, &st) == 0)
			printf("recv %llu drop %llu\n", (unsigned long long)st.recv,
			       (unsigned long long)st.drop);
	}
	print_ring_stats(ring);
	if (rule_stats && wspec)
		print_rule_stats(ring, &wrule);
	if (dump) {
		pcap_dump_close(dump);
		pcap_close(dead);
	}
	if (kf)
		fclose(kf);
	pfring_close(ring);
	return 0;
}

/* Capturing needs CAP_NET_ADMIN: an ordinary user is refused at socket(). */
static int cmd_unpriv(void)
{
	int fd;

	if (setgid(65534) || setuid(65534))
		die("setuid", -1);
	fd = socket(27, SOCK_RAW, htons(ETH_P_ALL));
	if (fd >= 0) {
		printf("unpriv: socket opened as uid 65534\n");
		return 1;
	}
	printf("unpriv: errno %d (%s)\n", errno, strerror(errno));
	return errno == EPERM ? 0 : 1;
}

static int cmd_open_unpriv(const char *dev)
{
	pfring *ring;

	if (setgid(65534) || setuid(65534))
		die("setuid", -1);
	ring = pfring_open(dev, 1518, 0);
	if (ring) {
		printf("open-unpriv: %s opened as uid 65534\n", dev);
		pfring_close(ring);
		return 1;
	}
	printf("open: errno %d\n", errno);
	return 0;
}

/* xorshift: the same seed gives the same calls, so a failure can be replayed. */
static unsigned long long fz_state;
static unsigned fz(unsigned n)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return n ? (unsigned)(fz_state % n) : 0;
}

static void fz_bytes(unsigned char *b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)fz(256);
}

/* One socket's random life: options with random lengths and contents, bind,
 * mmap, scribbles over the mapped ring (the module must not trust it), send,
 * poll. Any oops panics the guest (oops=panic), which the runner sees. */
static void fuzz_one(const char *dev)
{
	static const char *names[] = { "any", "lo", "eth0@7", "any@1", "", "eth0@", "@3",
				       "eth0@99999", "eth0@-1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
	unsigned char buf[2048];
	void *map = MAP_FAILED;
	size_t maplen = 0;
	unsigned k, ops;
	int fd;

	fd = socket(27, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		die("fuzz socket", fd);
	for (ops = fz(40); ops > 0; ops--) {
		unsigned what = fz(8), len = fz(4) ? fz(600) : fz(70000);
		socklen_t glen;
		struct sockaddr_storage a;

		fz_bytes(buf, sizeof(buf));
		switch (what) {
		case 0: case 1: case 2:   /* set a PF_RING option */
			setsockopt(fd, 0, 95 + fz(100), fz(8) ? buf : NULL,
				   len);
			break;
		case 3:                   /* get one */
			glen = fz(3) ? fz(sizeof(buf)) : (socklen_t)-1;
			getsockopt(fd, 0, 165 + fz(35), buf, &glen);
			break;
		case 4: {                 /* a BPF program of random instructions */
			struct sock_fprog fp = { .len = (unsigned short)fz(70),
						 .filter = (struct sock_filter *)buf };
			setsockopt(fd, SOL_SOCKET, fz(2) ? SO_ATTACH_FILTER : SO_DETACH_FILTER,
				   &fp, sizeof(fp));
			break;
		}
		case 5:                   /* bind */
			memset(&a, 0, sizeof(a));
			((unsigned short *)&a)[0] = fz(4) ? 27 : (unsigned short)fz(64);
			snprintf((char *)&a + 2, 30, "%s", fz(3) ? dev : names[fz(10)]);
			if (!fz(4))
				fz_bytes((unsigned char *)&a + 2, 30);
			bind(fd, (struct sockaddr *)&a, fz(4) ? 32 : fz(sizeof(a)));
			break;
		case 6:                   /* map, scribble over the shared pages */
			if (map == MAP_FAILED) {
				maplen = fz(2) ? (size_t)1 << (12 + fz(10)) : 4096u * (1 + fz(400));
				map = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
					   fz(6) ? 0 : 4096 * fz(4));
			} else {
				for (k = 0; k < 8; k++)
					((unsigned char *)map)[fz(maplen)] = (unsigned char)fz(256);
				if (fz(2))
					memset((char *)map + 4096 % maplen, 0xff, 8);
			}
			break;
		default: {                /* send (TX capture feeds our own ring), poll */
			struct pollfd p = { .fd = fd, .events = POLLIN };

			send(fd, buf, fz(4) ? 14 + fz(200) : fz(3000), MSG_DONTWAIT);
			poll(&p, 1, 0);
			break;
		}
		}
	}
	if (map != MAP_FAILED)
		munmap(map, maplen);
	close(fd);
}

static int cmd_fuzz(const char *dev, long n, unsigned long long seed)
{
	long i;

	fz_state = seed ? seed : 1;
	for (i = 0; i < n; i++)
		fuzz_one(dev);
	printf("fuzz: %ld sockets\n", n);
	return 0;
}

static int bad_failures;
static const char *bad_cmd = "badopts";

/* rc must be -1 with errno want. */
static void expect_errno(const char *what, int rc, int want)
{
	int got = rc < 0 ? errno : 0;

	printf("%s: %-44s rc %d errno %d (%s)%s\n", bad_cmd, what, rc, got, strerror(got),
	       rc == -1 && got == want ? "" : "  <- WRONG");
	if (rc != -1 || got != want) {
		printf("%s: %s: want errno %d (%s)\n", bad_cmd, what, want, strerror(want));
		bad_failures++;
	}
}

/* The errors core/abi.h documents, one by one, on the raw socket interface. */
static int cmd_badopts(const char *dev)
{
	unsigned char big[512] = { 0 };
	unsigned u32v = 1, zero = 0;
	unsigned short u16v = 0;
	socklen_t len;
	int fd = socket(27, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		die("socket", fd);
	expect_errno("socket(SOCK_DGRAM)", socket(27, SOCK_DGRAM, htons(ETH_P_ALL)), ESOCKTNOSUPPORT);
	expect_errno("socket(protocol IP)", socket(27, SOCK_RAW, htons(ETH_P_IP)), EPROTONOSUPPORT);
	expect_errno("bind(no such device)", bind_to(fd, "nosuch0"), ENODEV);
	expect_errno("bind(queue not a number)", bind_to(fd, "eth0@x"), EINVAL);
	expect_errno("bind(any@1)", bind_to(fd, "any@1"), EINVAL);
	expect_errno("mmap before bind", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EINVAL);
	expect_errno("ring size before bind", (len = 8, getsockopt(fd, 0, SO_GET_RING_SIZE, big, &len)), ENOTCONN);
	expect_errno("activate before bind", setsockopt(fd, 0, SO_ACTIVATE_RING, NULL, 0), ENOTCONN);
	expect_errno("caplen 3 bytes long", setsockopt(fd, 0, SO_RING_BUCKET_LEN, &u32v, 3), EINVAL);
	expect_errno("caplen 1 (below an Ethernet header)", setsockopt(fd, 0, SO_RING_BUCKET_LEN, &u32v, 4), EINVAL);
	expect_errno("ring flags unknown", (u32v = 0x80, setsockopt(fd, 0, SO_SET_RING_FLAGS, &u32v, 4)), EINVAL);
	expect_errno("unknown option", setsockopt(fd, 0, 150, &u32v, 4), ENOPROTOOPT);
	expect_errno("unknown get option", (len = 4, getsockopt(fd, 0, 199, big, &len)), ENOPROTOOPT);
	expect_errno("other level", setsockopt(fd, 6, SO_SET_SAMPLING_RATE, &u32v, 4), ENOPROTOOPT);
	expect_errno("sampling rate 0", setsockopt(fd, 0, SO_SET_SAMPLING_RATE, &zero, 4), EINVAL);
	expect_errno("sampling rate 8 bytes", setsockopt(fd, 0, SO_SET_SAMPLING_RATE, big, 8), EINVAL);
	expect_errno("direction 3", (u32v = 3, setsockopt(fd, 0, SO_SET_PACKET_DIRECTION, &u32v, 4)), EINVAL);
	expect_errno("socket mode 3", setsockopt(fd, 0, SO_SET_SOCKET_MODE, &u32v, 4), EINVAL);
	expect_errno("channel 256", (u32v = 256, setsockopt(fd, 0, SO_SET_CHANNEL_ID, &u32v, 4)), EINVAL);
	expect_errno("watermark 0", setsockopt(fd, 0, SO_SET_POLL_WATERMARK, &u16v, 2), EINVAL);
	expect_errno("policy 2", (big[0] = 2, setsockopt(fd, 0, SO_TOGGLE_FILTER_POLICY, big, 1)), EINVAL);
	expect_errno("rule of the wrong size", setsockopt(fd, 0, SO_ADD_FILTERING_RULE, big, 100), EINVAL);
	expect_errno("remove a rule that is not there", (u16v = 9, setsockopt(fd, 0, SO_REMOVE_FILTERING_RULE, &u16v, 2)), ENOENT);
	expect_errno("cluster type 9", (((unsigned *)big)[0] = 1, ((unsigned *)big)[1] = 9,
		     setsockopt(fd, 0, SO_ADD_TO_CLUSTER, big, 8)), EINVAL);
	expect_errno("leave no cluster", setsockopt(fd, 0, SO_REMOVE_FROM_CLUSTER, NULL, 0), ENOENT);
	expect_errno("application name without NUL", (memset(big, 'a', 64), setsockopt(fd, 0, SO_SET_APPL_NAME, big, 64)), EINVAL);
	expect_errno("reflector: no such device", setsockopt(fd, 0, SO_SET_REFLECTOR, "nosuch0", 8), ENODEV);
	expect_errno("send before bind", send(fd, big, 60, 0), ENXIO);
	if (bind_to(fd, dev) != 0)
		die("bind", -1);
	expect_errno("bind twice", bind_to(fd, dev), EINVAL);
	expect_errno("caplen after bind", (u32v = 128, setsockopt(fd, 0, SO_RING_BUCKET_LEN, &u32v, 4)), EISCONN);
	expect_errno("mmap at an offset", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096) == MAP_FAILED ? -1 : 0, EINVAL);
	expect_errno("mmap larger than the ring", mmap(NULL, 1ul << 30, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EINVAL);
	expect_errno("stats into 4 bytes", (len = 4, getsockopt(fd, 0, SO_GET_RING_STATS, big, &len)), EINVAL);
	expect_errno("send 10 bytes", send(fd, big, 10, 0), EMSGSIZE);
	expect_errno("send 9000 bytes", send(fd, big, 9000, 0), EMSGSIZE);
	close(fd);
	printf("badopts: %d wrong\n", bad_failures);
	return bad_failures != 0;
}

/* BPF at level 0 on a ring's fd (pfring_get_selectable_fd) gets what
 * SOL_SOCKET gets: EINVAL for a bad program or length, ENOENT for a detach
 * with no filter; a good one attaches and detaches. */
static int cmd_bpf0(const char *dev)
{
	struct sock_filter bad[] = { { BPF_JMP | BPF_JA, 0, 0, 5 }, { BPF_RET | BPF_K, 0, 0, 65535 } };
	struct sock_filter all[] = { { BPF_RET | BPF_K, 0, 0, 65535 } };
	struct sock_fprog badp = { 2, bad }, empty = { 0, all }, good = { 1, all };
	pfring *ring = pfring_open(dev, 1518, 0);
	int fd, dummy = 0;

	if (!ring)
		die("pfring_open", -1);
	fd = pfring_get_selectable_fd(ring);
	bad_cmd = "bpf0";
	expect_errno("jump past the end", setsockopt(fd, 0, SO_ATTACH_FILTER, &badp, sizeof(badp)), EINVAL);
	expect_errno("no instructions", setsockopt(fd, 0, SO_ATTACH_FILTER, &empty, sizeof(empty)), EINVAL);
	expect_errno("optlen 4", setsockopt(fd, 0, SO_ATTACH_FILTER, &good, 4), EINVAL);
	expect_errno("detach without a filter", setsockopt(fd, 0, SO_DETACH_FILTER, &dummy, sizeof(dummy)), ENOENT);
	if (setsockopt(fd, 0, SO_ATTACH_FILTER, &good, sizeof(good)) != 0 ||
	    setsockopt(fd, 0, SO_DETACH_FILTER, &dummy, sizeof(dummy)) != 0) {
		printf("bpf0: a good program: attach and detach failed (errno %d)\n", errno);
		bad_failures++;
	}
	pfring_close(ring);
	printf("bpf0: %d wrong\n", bad_failures);
	return bad_failures != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "bpf0") == 0)
		return cmd_bpf0(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "badopts") == 0)
		return cmd_badopts(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "unpriv") == 0)
		return cmd_unpriv();
	if (argc >= 3 && strcmp(argv[1], "open-unpriv") == 0)
		return cmd_open_unpriv(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "fuzz") == 0)
		return cmd_fuzz(argv[2], atol(argv[3]), strtoull(argv[4], NULL, 0));
	if (argc >= 2 && strcmp(argv[1], "capture") == 0)
		return cmd_capture(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "expect") == 0)
		return cmd_expect(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "layout") == 0) {
		/* core/ring.h: a 16-byte slot header, then the extended header padded to 8 */
		printf("slot_hdr_long %zu\n", 16 + (sizeof(struct pfring_extended_pkthdr) + 7) / 8 * 8);
		return 0;
	}
	fprintf(stderr, "usage: pfe2e capture -i DEV [options] | expect PCAP [BPF] | layout\n");
	return 2;
}
