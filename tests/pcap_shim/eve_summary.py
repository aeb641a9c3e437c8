#!/usr/bin/env python3
"""Reads Suricata's eve.json for tests/pcap_shim/test_suricata.sh. Standard library only.
    eve_summary.py pkts EVE    the packets decoded by the last stats record (0 if none yet)
    eve_summary.py alerts EVE  one line per alert: sid, packet time stamp, protocol,
                               source and destination address and port; sorted
A record still being written (the last line, while Suricata runs) is skipped."""
import json
import sys


def records(path):
    with open(path, encoding="utf-8") as eve:
        for line in eve:
            try:
                yield json.loads(line)
            except ValueError:
                continue


def main(mode, path):
    if mode == "pkts":
        pkts = 0
        for rec in records(path):
            if rec.get("event_type") == "stats":
                pkts = rec["stats"]["decoder"]["pkts"]
        print(pkts)
    elif mode == "alerts":
        lines = [" ".join(str(x) for x in (r["alert"]["signature_id"], r["timestamp"], r["proto"],
                                             r["src_ip"], r.get("src_port", "-"),
                                             r["dest_ip"], r.get("dest_port", "-")))
                 for r in records(path) if r.get("event_type") == "alert"]
        for line in sorted(lines):
            print(line)
    else:
        sys.exit(f"eve_summary.py: unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
