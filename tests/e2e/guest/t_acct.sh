# acct: the accounting identity of core/abi.h, seen = filtered + unsampled +
# inserted + dropped_full + refused, term by term, read back through /proc, the
# socket's SO_GET_RING_STATS and pfring_stats. One socket on a 64-slot ring
# (min_num_slots=64) with a wildcard rule (drop TCP port 80), a BPF filter (ip),
# sampling 1/3 and a caplen of 32 bytes, below every frame's length; it reads
# nothing until the fixture was injected, so the ring overflows. Expected, from
# the fixture and the ring layout (core/ring.h), not from the counters:
#   seen      the frames injected
#   filtered  those the rule drops or BPF rejects (libpcap on the fixture)
#   unsampled the passed frames sampling skips: passed - ceil(passed / 3)
#   inserted  the sampled frames that fit: floor((area - 8) / slot) slots of
#             align8(slot header + 32) bytes, area = 64 slots rounded up to
#             pages; each frame cut to 32 bytes, with its wire length
#   dropped_full  the sampled frames that did not fit
#   refused   0: a frame longer than the slot is cut to it, never refused
# The module is reloaded with its defaults when the test ends.
need_module
P=/proc/net/pf_ring
S=$E2E_STATE
dev=$(nic_if e1000e)
SLOTS=64 CAPLEN=32 RATE=3
rmmod pf_ring || fail "rmmod"
reload_module_at_exit
modprobe pf_ring min_num_slots=$SLOTS || fail "modprobe min_num_slots=$SLOTS"

expect_count many_flows
seen=$EXP
expect_count many_flows "ip and not (tcp port 80)"
passed=$EXP
sampled=$(((passed + RATE - 1) / RATE))
hdr=$(pfe2e layout | sed -n 's/^slot_hdr_long //p')
slot=$(((hdr + CAPLEN + 7) / 8 * 8))
area=$(((SLOTS * slot + 4095) / 4096 * 4096))
fit=$(((area - 8) / slot))
inserted=$sampled
[ $fit -lt $sampled ] && inserted=$fit
dropped=$((sampled - inserted))
echo "seen $seen passed $passed sampled $sampled; slot $slot area $area: $fit fit"
[ $dropped -gt 0 ] || fail "a ring of $fit slots holds all $sampled sampled frames"

rm -f $S/acct.go
pfe2e_start acct $dev -l $CAPLEN -W 1,drop,6,80 -f ip -s $RATE -g $S/acct.go -v -q 3 ||
	fail "pfe2e did not start"
inject e1000e many_flows 1 || fail "inject"
expect_eq "frames injected" "$INJ_FRAMES" "$seen"
sleep 1
f=$(ls $P | grep -E "^[0-9]+-$dev\.[0-9]+$" | head -n 1)
[ -n "$f" ] || fail "no per-socket file in $P"
cat $P/$f
proc() { sed -n "s/^$1 *: //p" $P/$f; }
expect_eq "/proc Tot Packets" "$(proc 'Tot Packets')" "$seen"
expect_eq "/proc Tot Filtered" "$(proc 'Tot Filtered')" $((seen - passed))
expect_eq "/proc Tot Unsampled" "$(proc 'Tot Unsampled')" $((passed - sampled))
expect_eq "/proc Tot Insert" "$(proc 'Tot Insert')" "$inserted"
expect_eq "/proc Tot Pkt Lost" "$(proc 'Tot Pkt Lost')" "$dropped"
expect_eq "/proc Tot Refused" "$(proc 'Tot Refused')" 0
expect_eq "/proc Tot Read (nothing read yet)" "$(proc 'Tot Read')" 0
touch $S/acct.go
pfe2e_wait acct
expect_eq "SO_GET_RING_STATS" "$P_RING" "seen $seen filtered $((seen - passed)) unsampled $((passed - sampled)) inserted $inserted dropped_full $dropped refused 0"
expect_eq "pfring_stats recv" "$P_RECV" "$inserted"
expect_eq "pfring_stats drop" "$P_DROP" "$dropped"
expect_eq "frames read" "$P_RECEIVED" "$inserted"
expect_eq "frames cut to $CAPLEN bytes, longer on the wire" \
	"$(awk -v c=$CAPLEN '$1 == "frame" && $2 == c && $3 > c' $S/acct.out | wc -l)" "$inserted"
pass
