# zbounce: the DNA Bouncer's tool, pfdnabounce, from dna:e1000e to dna:igb
# (libzero, docs/libzero.md): many_flows injected by the host into the e1000e
# comes out of the igb to the host, every frame once, in order, byte for byte
# (record_check: a frame under 60 bytes comes back padded), and pfdnabounce's
# final counters say every frame was received and forwarded. Both NICs are
# DNA's meanwhile, so no NIC carries control frames: the inject is asked for
# beforehand through the igb with a delay (host_peer.py delay=), and the
# recording is stopped once both NICs are back with their kernel drivers.

dna_setup   # lib.sh: modules, hugepages, ADDRS, restore_nics on exit
export PFRING_DNA_RSS=1 PFRING_DNA_BUS=vfio
IN=$(nic_if e1000e)
OUT=$(nic_if igb)
fixture_count many_flows || fail "many_flows: no frame count"

record_start igb zbounce || fail "record-start"
# acknowledged now, through the igb's kernel driver; the frames come 20 s later
e2e_ctl -i "$OUT" -t 90 inject many_flows 1 rate=1000 to=e1000e delay=20 \
	> $E2E_STATE/zb-inject.out 2>&1 &
INJ_PID=$!
echo $INJ_PID >> $E2E_STATE/pids
wait_until 15 grep -q '^ack' $E2E_STATE/zb-inject.out ||
	{ cat $E2E_STATE/zb-inject.out; fail "the peer did not acknowledge the inject"; }

echo "pfdnabounce -i dna:$IN -o dna:$OUT -q 25"
pfdnabounce -i "dna:$IN" -o "dna:$OUT" -q 25 > $E2E_STATE/zb.out 2>&1 &
ZB_PID=$!
echo $ZB_PID >> $E2E_STATE/pids
# it ends by itself, 25 s after the last frame (or the start, if none comes)
wait_until 150 eval "! kill -0 $ZB_PID 2>/dev/null" || kill -INT $ZB_PID
wait $ZB_PID
ZB_RC=$?
cat $E2E_STATE/zb.out
kill $INJ_PID 2>/dev/null    # its "done" went to the igb while pfdnabounce had it
cat $E2E_STATE/zb-inject.out
restore_nics $ADDRS

expect_eq "pfdnabounce exit" "$ZB_RC" 0
grep -q '^Stopped (idle)' $E2E_STATE/zb.out || fail "pfdnabounce did not stop on idle"
grep -q "^\[in->out\] $FIX_FRAMES pkts rcvd, $FIX_FRAMES forwarded, 0 dropped, 0 tx failed" \
	$E2E_STATE/zb.out || fail "pfdnabounce's counters are not $FIX_FRAMES received and forwarded"
record_stop zbounce || fail "record-stop"
expect_eq "frames at the host" "$REC_FRAMES" "$FIX_FRAMES"
record_check zbounce many_flows || fail "the frames at the host are not many_flows' byte for byte"
check_back e1000e $ADDR_E1000E $IN e1000e "e1000e after pfdnabounce"
check_back igb $ADDR_IGB $OUT igb "igb after pfdnabounce"
pass
