/*
 * bench/guest/traffic.h - the frames of the capture benchmark and their paced
 * sender, shared by capbench (in the guest, on a veth or a NIC) and inject
 * (on the host, into a NIC's QEMU socket), so that every row sees the same
 * traffic. Also the control frames by which capbench asks inject for it.
 */
#ifndef CB_TRAFFIC_H
#define CB_TRAFFIC_H

#include <stdint.h>

#define CB_FRAME_LEN	60
#define CB_MAX_FLOWS	256
/* Ethertype of the control frames (IEEE 802 local experimental). */
#define CB_CTL_ETHERTYPE 0x88b5
#define CB_CTL_LEN	128

/* Flow i: 10.0.<i>.1:(1024+i) -> 10.1.0.1:5001, UDP, 18 bytes of payload,
 * 02:00:00:00:00:01 -> 02:00:00:00:00:02 (no NIC's own address: every capture
 * is promiscuous). */
void cb_build_frame(uint8_t f[CB_FRAME_LEN], unsigned i);

/* rate * secs frames of flows flows (round robin) on fd, 32 at a time on an
 * absolute schedule (late batches go at once): stream = 0, a raw AF_PACKET
 * socket bound to one interface (sendmmsg; ENOBUFS/EAGAIN: sent again);
 * stream = 1, a connection to QEMU's stream netdev (length-prefixed frames;
 * it blocks while the NIC has no room: nothing is lost, the rate drops).
 * Stops early, after 2 * secs + 1 s. Returns the count sent, -1 on an error
 * (errno set). */
long long cb_send_paced(int fd, int stream, unsigned rate, double secs, unsigned flows);

/* A control frame: broadcast, CB_CTL_ETHERTYPE, the text as payload, zero
 * padded to CB_CTL_LEN bytes. */
void cb_ctl_frame(uint8_t f[CB_CTL_LEN], const char *text);

/* The text of control frame f (len bytes; the last one becomes a NUL), or NULL
 * when f is not one. */
const char *cb_ctl_text(uint8_t *f, unsigned len);

#endif /* CB_TRAFFIC_H */
