/*
 * tests/compat/compat_cxx.cpp - a C++ program written the way 5.4.6's C++ wrapper
 * (userland/c++/PFring.cpp) and C++ IDS code use the API: pfring.h first, then
 * <algorithm> (which 5.4.6's max() macro would break), the function-pointer
 * members, and pfring_remove_hw_rule in both forms (overloads). Built with
 * g++ -Wall -Wextra -Werror; run on a sim: NIC replaying tests/fixtures/mix64.pcap.
 */
#include "pfring.h"
#include <algorithm>
#include <vector>

#define COMPAT_NAME "compat_cxx"
#include "compat_check.h"

class Capture {
public:
	explicit Capture(const char *dev) : ring(pfring_open(dev, 256, PF_RING_PROMISC)) {}
	~Capture() { if (ring) ring->close(ring); }
	bool ok() const { return ring != NULL; }
	/* frames read, and the longest one */
	unsigned int drain(unsigned int *longest)
	{
		struct pfring_pkthdr hdr;
		u_char *p;
		unsigned int n = 0;

		*longest = 0;
		ring->enable_ring(ring);
		while (ring->recv(ring, &p, 0, &hdr, 0) > 0) {
			n++;
			*longest = std::max(*longest, (unsigned int)hdr.len);
		}
		return n;
	}
	pfring *ring;
};

int main()
{
	Capture c("sim:ccxx?pcap=" FIXTURE_DIR "/mix64.pcap");
	hw_filtering_rule hw;
	pfring_stat st;
	unsigned int n, longest;
	std::vector<int> v(3, 1);

	if (!c.ok()) {
		fprintf(stderr, "pfring_open: %s\n", strerror(errno));
		return 1;
	}
	memset(&hw, 0, sizeof(hw));
	hw.rule_family_type = intel_82599_five_tuple_rule;
	hw.rule_id = 4;
	CHECK(pfring_add_hw_rule(c.ring, &hw) == 0);
	CHECK(pfring_remove_hw_rule(c.ring, 4) == 0);              /* 5.4.6: an id */
	CHECK(pfring_remove_hw_rule(c.ring, (u_int16_t)4) == PF_RING_ERROR_INVALID_ARGUMENT);
	CHECK(pfring_add_hw_rule(c.ring, &hw) == 0);
	CHECK(pfring_remove_hw_rule(c.ring, &hw) == 0);            /* the guide: a rule */
	CHECK(c.ring->remove_hw_rule(c.ring, 4) == PF_RING_ERROR_INVALID_ARGUMENT);

	n = c.drain(&longest);
	CHECK(n == 3000 && longest == 64);
	CHECK(c.ring->stats(c.ring, &st) == 0 && st.recv == 3000 && st.drop == 0);
	CHECK(*std::max_element(v.begin(), v.end()) == 1);
	if (COMPAT_FAILED())
		return 1;
	printf("compat_cxx: ok (%u frames, longest %u bytes)\n", n, longest);
	return 0;
}
