# tests/pcap_shim/frames.sh - sourced by the shim's tcpdump tests: what a capture file holds,
# read by the plain tcpdump (the system's libpcap, no shim).
# frames FILE: every frame as one line of hex, in the file's order.
frames() {
	tcpdump -nn -r "$1" -xx 2>/dev/null | awk '
		/^[^\t ]/ { if (f != "") print f; f = ""; next }
		{ $1 = ""; f = f $0 }
		END { if (f != "") print f }'
}
# count FILE: its number of frames.
count() { tcpdump -nn -r "$1" 2>/dev/null | wc -l; }
