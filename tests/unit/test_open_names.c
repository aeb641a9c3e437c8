/*
 * tests/unit/test_open_names.c - the path of a device name from pfring_open()
 * to its backend (lib/backend.h, "Names"): the backend gets the name parsed
 * once (prefix, members, queues, '?' options), a claims() hook takes names
 * outside its prefix, members_are_names hands over a list of whole names, and
 * sim: and hub: take one name (and sim: one queue) from the parsed name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pfring.h>
#include "lib/backend.h"
#include "lib/devname.h"
#include "stderr_capture.h"

/* ------------------------------------------------ a backend that records */

/* What the last open was given: the parsed name, its options and texts copied
 * (they point into the caller's string, valid during open only). */
static struct {
	unsigned int opens;
	struct pf_devname dn;
	char options[64];            /* "(none)" without '?' */
	char text[PF_DEVNAME_MAX_MEMBERS][64];
} seen;

static int seen_open(pfring *ring, const struct pf_devname *dn)
{
	unsigned int i;

	(void)ring;
	seen.opens++;
	seen.dn = *dn;
	snprintf(seen.options, sizeof(seen.options), "%s", dn->options ? dn->options : "(none)");
	for (i = 0; i < dn->num_members; i++)
		snprintf(seen.text[i], sizeof(seen.text[i]), "%.*s", (int)dn->member[i].text_len,
			 dn->member[i].text);
	return 0;
}

/* claims a plain "claimed0", as userspace: claims "usrN" */
static int seen_claims(const struct pf_devname *dn)
{
	return dn->prefix[0] == '\0' && dn->num_members == 1 &&
	       strcmp(dn->member[0].name, "claimed0") == 0;
}

static const struct pfring_backend seen_backend = {
	.name = "seen", .prefix = "seen:", .claims = seen_claims, .open = seen_open,
};

static const struct pfring_backend list_backend = {
	.name = "list", .prefix = "list:", .members_are_names = 1, .open = seen_open,
};

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(pfring_backend_register(&seen_backend), 0);
	assert_int_equal(pfring_backend_register(&list_backend), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pfring_backend_unregister(&seen_backend);
	pfring_backend_unregister(&list_backend);
	return 0;
}

static pfring *open_ok(const char *name)
{
	pfring *r = pfring_open(name, 128, 0);

	assert_non_null(r);
	return r;
}

/* Fails with errno err and exactly the message msg. */
static void open_fails(const char *name, int err, const char *msg)
{
	char out[512];
	pfring *r;

	capture_begin();
	errno = 0;
	r = pfring_open(name, 128, 0);
	capture_end(out, sizeof(out));
	assert_null(r);
	assert_int_equal(errno, err);
	assert_string_equal(out, msg);
}

/* ------------------------------------------------------------------ tests */

static void test_backend_gets_parsed_name(void **state)
{
	pfring *r;

	(void)state;
	r = open_ok("seen:nic0@3,5?k=v&x=1");
	assert_int_equal(seen.opens, 1);
	assert_string_equal(seen.dn.prefix, "seen:");
	assert_int_equal(seen.dn.num_members, 1);
	assert_string_equal(seen.dn.member[0].name, "nic0");
	assert_int_equal(seen.dn.member[0].num_queues, 2);
	assert_int_equal(pf_devname_first_queue(&seen.dn.member[0]), 3);
	assert_string_equal(seen.text[0], "nic0@3,5");
	assert_string_equal(seen.options, "k=v&x=1");
	assert_string_equal(r->device_name, "seen:nic0@3,5?k=v&x=1");
	pfring_close(r);

	r = open_ok("seen:a;b@1");
	assert_int_equal(seen.dn.num_members, 2);
	assert_string_equal(seen.text[1], "b@1");
	assert_string_equal(seen.options, "(none)");
	pfring_close(r);
	/* a syntax error is the front's: the backend never sees it */
	open_fails("seen:a@x?k", EINVAL, "pfring_open(\"seen:a@x?k\"): bad device name: bad queue "
		   "after '@' (NUM, NUM-NUM, or a ',' list of them)\n");
	assert_int_equal(seen.opens, 2);
}

static void test_claims_hook(void **state)
{
	pfring *r;

	(void)state;
	r = open_ok("claimed0");
	assert_int_equal(seen.opens, 1);
	assert_string_equal(seen.dn.prefix, "");
	pfring_close(r);
	/* not claimed: the prefix decides (the kernel-module default, no module here) */
	assert_null(pfring_open("claimed1", 128, 0));
	assert_int_equal(seen.opens, 1);
	teardown(state);
	assert_null(pfring_open("claimed0", 128, 0));
	assert_int_equal(seen.opens, 1);
}

static void test_members_are_names(void **state)
{
	pfring *r;

	(void)state;
	r = open_ok("list:sim:a?pcap=x,y;eth0@1,2;usr1");
	assert_int_equal(seen.dn.num_members, 3);
	assert_string_equal(seen.dn.prefix, "list:");
	assert_string_equal(seen.text[0], "sim:a?pcap=x,y");
	assert_string_equal(seen.text[1], "eth0@1,2");
	assert_string_equal(seen.text[2], "usr1");
	assert_string_equal(seen.options, "(none)");
	pfring_close(r);
	/* the list is checked whole before the backend opens anything */
	open_fails("list:a;;b", EINVAL, "pfring_open(\"list:a;;b\"): empty member in the list\n");
	open_fails("list:", EINVAL, "pfring_open(\"list:\"): bad device name: empty device name\n");
	assert_int_equal(seen.opens, 1);
}

/* sim: one NIC per ring, one queue (written as any one-queue list) */
static void test_sim_takes_one_nic(void **state)
{
	pfring *r;

	(void)state;
	open_fails("sim:a;b?gen=flows:1&count=1", EINVAL,
		   "pfring_open(\"sim:a;b?gen=flows:1&count=1\"): sim: \"a;b\": one NIC per ring "
		   "(multi: reads a list)\n");
	open_fails("sim:on1@1,2?gen=flows:1&count=1&queues=4", EINVAL,
		   "pfring_open(\"sim:on1@1,2?gen=flows:1&count=1&queues=4\"): sim: \"on1@1,2\": "
		   "one RX queue per ring (NAME@Q)\n");
	r = open_ok("sim:on1@2-2?gen=flows:1&count=1&queues=4");
	assert_int_equal(pfring_get_num_rx_channels(r), 4);
	pfring_close(r);
}

/* hub: one name, no queue, no options (they used to become part of the name) */
static void test_hub_takes_no_options(void **state)
{
	(void)state;
	open_fails("hub:x?y", EINVAL, "pfring_open(hub:x?y): a hub takes no \"?options\"\n");
	open_fails("hub:x@1", EINVAL, "pfring_open(hub:x@1): a hub has no queues and one name\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backend_gets_parsed_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_are_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sim_takes_one_nic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_takes_no_options, setup, teardown),
	};

	setenv("PFSIM_DIR", "/nonexistent-pfsim-dir-for-test_open_names", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
