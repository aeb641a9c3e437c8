/*
 * plugins/sample_plugins.h - the two sample plugins shipped with pfring, built
 * from the same sources into libpfring and (later) as kernel modules.
 */
#ifndef PF_SAMPLE_PLUGINS_H
#define PF_SAMPLE_PLUGINS_H

#include "core/plugin.h"

/* Counter: per-rule packets and bytes, read with pfring_get_filtering_rule_stats(). */
#define COUNTER_PLUGIN_ID 2
struct counter_plugin_stats {
	u64 packets, bytes;
};
extern const struct pfring_plugin_registration counter_plugin;

/* SIP filter (spec 10.5): set extended_fields.filter_plugin_id = SIP_PLUGIN_ID
 * and cast extended_fields.filter_plugin_data to struct sip_filter. */
#define SIP_PLUGIN_ID 3
enum sip_method {
	method_any = 0, method_invite, method_ack, method_bye, method_cancel,
	method_options, method_register, method_unknown
};
struct sip_filter {
	u8 method;          /* enum sip_method; method_any matches every request */
	char caller[64];    /* substring of the From: header; "" = any caller */
	char called[64];    /* substring of the To: header;   "" = any called */
	char call_id[64];   /* the whole Call-ID value;       "" = any call id */
};
extern const struct pfring_plugin_registration sip_plugin;

#endif /* PF_SAMPLE_PLUGINS_H */
