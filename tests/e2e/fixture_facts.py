#!/usr/bin/python3
"""What the e2e guests expect of the fixtures, computed on the host with scapy,
independently of libpfring's parser (docs/e2e.md, "Fixture facts").

Usage: fixture_facts.py FIXTURE_DIR OUT_DIR

For every tests/fixtures/NAME.pcap and every flow cluster type T (the
cluster_type values 0 per flow, 2 2-tuple, 3 4-tuple, 4 5-tuple, 5 TCP
5-tuple) it writes OUT_DIR/NAME.T.keys: one line per frame, in the order of
the capture, "DIGEST KEY":

  DIGEST  CRC-32 (zlib) of the frame as a guest receives it, that is padded
          with zeros to 60 bytes, in 8 hex digits
  KEY     the frame's flow under type T, one token, the same for both
          directions of a flow (the two ends are sorted):
            0  VLAN/PROTO/A:PA/B:PB   (VLAN: the innermost 802.1Q, 802.1ad
                                       or 0x9100 tag, 0 untagged)
            2  A/B
            3  A:PA/B:PB
            4  PROTO/A:PA/B:PB
            5  the 4 key of TCP frames, the 2 key of every other frame
          ports are TCP, UDP or SCTP ports, 0 for other protocols and for
          fragments after the first; frames without IP use their MAC
          addresses as A and B (and "mac" as PROTO); tunnels: outer headers;
          parsed as the guest receives the frame (padded), "unparsed" when
          scapy cannot read it.

It also writes OUT_DIR/sip.facts for sip.pcap, one line per SIP question the
plugin test asks, "NAME FRAMES BYTES60":
  invite-alice-udp5060  INVITE requests whose From header (or its compact form
                        f:) names alice, over UDP port 5060
  udp5060               every UDP frame to or from port 5060
"""
import os
import re
import sys
import zlib

from scapy.all import (Ether, IP, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                       SCTP, TCP, UDP, conf)
from scapy.layers.ipsec import AH

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from host_peer import read_pcap  # noqa: E402  the bytes as the peer sends them

conf.verb = 0
MIN_FRAME = 60
VLAN_TYPES = (0x8100, 0x88A8, 0x9100)
TYPES = (0, 2, 3, 4, 5)
V6_EXT = (IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, AH)


def padded(raw):
    return raw + bytes(max(0, MIN_FRAME - len(raw)))


def digest(raw):
    return "%08x" % (zlib.crc32(padded(raw)) & 0xFFFFFFFF)


def flow(raw):
    """(vlan, proto, end a, end b, ports) of a frame; ends are strings."""
    vlan, off = 0, 12
    etype = int.from_bytes(raw[off:off + 2], "big")
    while etype in VLAN_TYPES and len(raw) >= off + 6:
        vlan = int.from_bytes(raw[off + 2:off + 4], "big") & 0xFFF
        off += 4
        etype = int.from_bytes(raw[off:off + 2], "big")
    layer = IP(raw[off + 2:]) if etype == 0x0800 else \
        IPv6(raw[off + 2:]) if etype == 0x86DD else None
    if isinstance(layer, IP):
        a, b, proto = layer.src, layer.dst, layer.proto
        later_fragment = layer.frag > 0
        l4 = layer.payload
    elif isinstance(layer, IPv6):
        a, b, proto = layer.src, layer.dst, layer.nh
        later_fragment = False
        l4 = layer.payload
        while isinstance(l4, V6_EXT):
            if isinstance(l4, IPv6ExtHdrFragment) and l4.offset > 0:
                later_fragment = True
            proto = l4.nh
            l4 = l4.payload
    else:
        mac = Ether(raw)
        return vlan, "mac", mac.src, mac.dst, None
    ports = None
    if isinstance(l4, (TCP, UDP, SCTP)) and not later_fragment:
        ports = (l4.sport, l4.dport)
    return vlan, proto, a, b, ports


def key(raw, ctype):
    try:
        vlan, proto, a, b, ports = flow(padded(raw))
    except Exception:   # scapy gives up on some cut frames (malformed.pcap)
        return "unparsed"
    if proto == "mac":
        lo, hi = sorted((a, b))
        return "%d/mac/%s/%s" % (vlan, lo, hi) if ctype == 0 else "%s/%s" % (lo, hi)
    pa, pb = ports if ports else (0, 0)
    if ctype == 2 or (ctype == 5 and proto != 6):
        return "%s/%s" % tuple(sorted((a, b)))
    lo, hi = sorted(("%s:%d" % (a, pa), "%s:%d" % (b, pb)))
    if ctype == 3:
        return "%s/%s" % (lo, hi)
    if ctype == 0:
        return "%d/%d/%s/%s" % (vlan, proto, lo, hi)
    return "%d/%s/%s" % (proto, lo, hi)   # 4, and TCP under 5


SIP_REQUEST = re.compile(rb"^([A-Z]+) \S+ SIP/2\.0\r?$")


def sip_facts(frames):
    """Counts and padded bytes of the plugin test's questions."""
    facts = {"invite-alice-udp5060": [0, 0], "udp5060": [0, 0]}
    for raw in frames:
        pkt = Ether(raw)
        udp = pkt.getlayer(UDP)
        if udp is None or 5060 not in (udp.sport, udp.dport):
            continue
        size = len(padded(raw))
        facts["udp5060"][0] += 1
        facts["udp5060"][1] += size
        lines = bytes(udp.payload).split(b"\n")
        m = SIP_REQUEST.match(lines[0])
        if not m or m.group(1) != b"INVITE":
            continue
        for line in lines[1:]:
            line = line.rstrip(b"\r")
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() in (b"from", b"f") and b"alice" in value:
                facts["invite-alice-udp5060"][0] += 1
                facts["invite-alice-udp5060"][1] += size
                break
    return facts


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fixture_facts.py FIXTURE_DIR OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".pcap"):
            continue
        frames = read_pcap(os.path.join(src, name))
        base = name[:-len(".pcap")]
        for ctype in TYPES:
            with open(os.path.join(out, "%s.%d.keys" % (base, ctype)), "w") as f:
                for raw in frames:
                    f.write("%s %s\n" % (digest(raw), key(raw, ctype)))
        if base == "sip":
            with open(os.path.join(out, "sip.facts"), "w") as f:
                for q, (n, size) in sorted(sip_facts(frames).items()):
                    f.write("%s %d %d\n" % (q, n, size))


if __name__ == "__main__":
    main()
