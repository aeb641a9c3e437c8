#!/usr/bin/env python3
"""Prints the capture statistics a pcapng file recorded: one line per Interface
Statistics Block, its options by name (ifrecv=N ifdrop=N ...). dumpcap writes one ISB per
interface at the end of a capture from pcap_stats (ps_recv, ps_drop, ps_ifdrop), so
test_tshark.sh can compare what tshark recorded with what was sent. Standard library only.
    pcapng_isb.py FILE"""
import struct
import sys

NAMES = {4: "ifrecv", 5: "ifdrop", 6: "filteraccept", 7: "osdrop", 8: "usrdeliv"}


def main(path):
    data = open(path, "rb").read()
    endian, pos = "<", 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + "II", data, pos)
        if btype == 0x0A0D0D0A:  # section header: its byte-order magic sets the endianness
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype, blen = struct.unpack_from(endian + "II", data, pos)
        if blen < 12:
            sys.exit(f"{path}: bad block length {blen} at {pos}")
        if btype == 5:  # interface statistics block
            iface = struct.unpack_from(endian + "I", data, pos + 8)[0]
            opt, end, fields = pos + 20, pos + blen - 4, [f"if={iface}"]
            while opt + 4 <= end:
                code, olen = struct.unpack_from(endian + "HH", data, opt)
                if code == 0:
                    break
                if code in NAMES and olen == 8:
                    fields.append(f"{NAMES[code]}={struct.unpack_from(endian + 'Q', data, opt + 4)[0]}")
                opt += 4 + (olen + 3) // 4 * 4
            print(" ".join(fields))
        pos += blen


if __name__ == "__main__":
    main(sys.argv[1])
