/*
 * tests/e2e/progs/pfplugrules.c - many rules naming one plugin on pf_ring.ko
 * rings, for the plugin lifetime test (issue 11, finding 4; t_plugin-lifetime).
 *
 *   pfplugrules hold DEV RINGS WRULES HRULES PLUGIN DIR
 *   pfplugrules churn DEV PLUGIN SECS DIR
 *
 * hold opens RINGS rings on DEV and gives each
 *   - WRULES wildcard rules (ids 1..WRULES) matching every frame, action
 *     execute_action_and_continue_rule_evaluation with action plugin PLUGIN;
 *     every fourth (id % 4 == 0) also names PLUGIN as its filter plugin;
 *   - rule WRULES+1: forward_packet_add_rule_and_stop_rule_evaluation with
 *     action plugin PLUGIN, so each new flow gets a precise rule naming PLUGIN
 *     from the packet path;
 *   - HRULES precise rules of made-up flows (UDP 10.77.0.0/16), action plugin
 *     PLUGIN;
 * enables the rings, prints "refs N" (the references on PLUGIN's module these
 * rules hold: RINGS * (WRULES + WRULES / 4 + 1 + HRULES)) and creates
 * DIR/ready. It then waits for DIR/remove or DIR/exit. remove: on each ring,
 * the odd wildcard rules and every made-up precise rule one by one, then the
 * rest with pfring_purge_idle_rules / pfring_purge_idle_hash_rules (0 s: every
 * rule); prints "removed" and creates DIR/removed, then waits for DIR/exit.
 * exit: closes the rings (with whatever rules they still hold) and exits.
 * Exit 0 when every call succeeded.
 *
 * churn adds and removes one wildcard rule (action plugin PLUGIN) on one ring
 * of DEV, pausing 0-20 ms after each remove (the moments rmmod can win), for
 * SECS seconds or until 20 adds in a row failed: every add succeeds (then its
 * remove must) or fails with ENOENT (the plugin is not registered, or its
 * module is going away). Creates DIR/churning after the first add. Prints
 * "churn added A enoent E"; exit 0 unless another result came.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pfring.h>

#define MAX_RINGS 16

static void die(const char *what, int rc)
{
	fprintf(stderr, "pfplugrules: %s failed (%d, errno %d: %s)\n", what, rc, errno,
		strerror(errno));
	exit(1);
}

static pfring *open_ring(const char *dev)
{
	pfring *ring = pfring_open(dev, 128, PF_RING_PROMISC);

	if (!ring)
		die("pfring_open", -1);
	return ring;
}

static void wildcard_rule(filtering_rule *r, unsigned id, rule_action_behaviour act,
			  unsigned plugin)
{
	memset(r, 0, sizeof(*r));
	r->rule_id = id;
	r->rule_action = act;
	r->plugin_action.plugin_id = plugin;
}

static void made_up_flow(hash_filtering_rule *r, unsigned i, unsigned plugin)
{
	memset(r, 0, sizeof(*r));
	r->proto = 17;
	r->host_peer_a.v4 = 0x0a4d0000u + 2 * i + 1;
	r->host_peer_b.v4 = 0x0a4d0000u + 2 * i + 2;
	r->port_peer_a = 1000;
	r->port_peer_b = 2000;
	r->rule_action = forward_packet_and_stop_rule_evaluation;
	r->plugin_action.plugin_id = plugin;
}

static void add_rules(pfring *ring, unsigned wrules, unsigned hrules, unsigned plugin)
{
	filtering_rule r;
	hash_filtering_rule h;
	unsigned i;
	int rc;

	for (i = 1; i <= wrules; i++) {
		wildcard_rule(&r, i, execute_action_and_continue_rule_evaluation, plugin);
		if (i % 4 == 0)
			r.extended_fields.filter_plugin_id = plugin;
		if ((rc = pfring_add_filtering_rule(ring, &r)) != 0)
			die("pfring_add_filtering_rule", rc);
	}
	wildcard_rule(&r, wrules + 1, forward_packet_add_rule_and_stop_rule_evaluation, plugin);
	if ((rc = pfring_add_filtering_rule(ring, &r)) != 0)
		die("pfring_add_filtering_rule (add-rule action)", rc);
	for (i = 0; i < hrules; i++) {
		made_up_flow(&h, i, plugin);
		if ((rc = pfring_handle_hash_filtering_rule(ring, &h, 1)) != 0)
			die("pfring_handle_hash_filtering_rule (add)", rc);
	}
}

static void remove_rules(pfring *ring, unsigned wrules, unsigned hrules)
{
	hash_filtering_rule h;
	unsigned i;
	int rc;

	for (i = 1; i <= wrules + 1; i += 2)
		if ((rc = pfring_remove_filtering_rule(ring, (u_int16_t)i)) != 0)
			die("pfring_remove_filtering_rule", rc);
	for (i = 0; i < hrules; i++) {
		made_up_flow(&h, i, 0);
		if ((rc = pfring_handle_hash_filtering_rule(ring, &h, 0)) != 0)
			die("pfring_handle_hash_filtering_rule (remove)", rc);
	}
	if ((rc = pfring_purge_idle_rules(ring, 0)) < 0)
		die("pfring_purge_idle_rules", rc);
	if ((rc = pfring_purge_idle_hash_rules(ring, 0)) < 0)
		die("pfring_purge_idle_hash_rules", rc);
}

static int exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void create(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		die(path, -1);
	fclose(f);
}

static int cmd_hold(const char *dev, unsigned rings, unsigned wrules, unsigned hrules,
		    unsigned plugin, const char *dir)
{
	pfring *ring[MAX_RINGS];
	unsigned i;

	if (rings == 0 || rings > MAX_RINGS || wrules + 1 > 4096)
		return 2;
	for (i = 0; i < rings; i++) {
		ring[i] = open_ring(dev);
		add_rules(ring[i], wrules, hrules, plugin);
		if (pfring_enable_ring(ring[i]) != 0)
			die("pfring_enable_ring", -1);
	}
	printf("refs %u\n", rings * (wrules + wrules / 4 + 1 + hrules));
	fflush(stdout);
	create(dir, "ready");
	while (!exists(dir, "remove") && !exists(dir, "exit"))
		usleep(10000);
	if (!exists(dir, "exit")) {
		for (i = 0; i < rings; i++)
			remove_rules(ring[i], wrules, hrules);
		printf("removed\n");
		fflush(stdout);
		create(dir, "removed");
		while (!exists(dir, "exit"))
			usleep(10000);
	}
	for (i = 0; i < rings; i++)
		pfring_close(ring[i]);
	return 0;
}

static int cmd_churn(const char *dev, unsigned plugin, unsigned secs, const char *dir)
{
	pfring *ring = open_ring(dev);
	time_t end = time(NULL) + secs;
	unsigned long added = 0, enoent = 0;
	filtering_rule r;
	int rc;

	wildcard_rule(&r, 1, execute_action_and_continue_rule_evaluation, plugin);
	srand(1);
	while (time(NULL) < end && enoent < 20) {
		rc = pfring_add_filtering_rule(ring, &r);
		if (rc < 0 && errno == ENOENT) {
			enoent++;
			continue;
		}
		if (rc != 0)
			die("pfring_add_filtering_rule (churn)", rc);
		if (enoent)
			die("an add after one that found no plugin", rc);
		if (added++ == 0)
			create(dir, "churning");
		if ((rc = pfring_remove_filtering_rule(ring, 1)) != 0)
			die("pfring_remove_filtering_rule (churn)", rc);
		usleep((useconds_t)(rand() % 20000));
	}
	printf("churn added %lu enoent %lu\n", added, enoent);
	pfring_close(ring);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 8 && strcmp(argv[1], "hold") == 0)
		return cmd_hold(argv[2], (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]),
				(unsigned)atoi(argv[5]), (unsigned)atoi(argv[6]), argv[7]);
	if (argc == 6 && strcmp(argv[1], "churn") == 0)
		return cmd_churn(argv[2], (unsigned)atoi(argv[3]), (unsigned)atoi(argv[4]), argv[5]);
	fprintf(stderr, "usage: pfplugrules hold DEV RINGS WRULES HRULES PLUGIN DIR\n"
			"       pfplugrules churn DEV PLUGIN SECS DIR\n");
	return 2;
}
