#!/usr/bin/python3
"""Host side of the e2e guests' wires (docs/e2e.md).

One process per guest. For each NIC of the guest it binds the UDP port QEMU's
`-netdev dgram` sends to (remote) and sends to the port QEMU listens on (local):
one datagram is one Ethernet frame. The guest drives everything with control
frames (EtherType 0x88B5, payload "PFE2E <tag> <command> <args...>"):

  inject <fixture> [repeat] [rate=FPS] [to=NIC] [delay=SECS]
      ack, then (after SECS seconds: time for the guest to hand both NICs to
      a DNA program, which leaves it no NIC for control) the frames of
      tests/fixtures/<fixture>.pcap `repeat` times on NIC (default: the NIC
      the request came from), paced at FPS frames/s, then
      "done <frames> <bytes> <bytes padded to 60>".
  record-start <name> [on=NIC]
      ack, then "done 0 0 0"; from now every non-control frame the guest
      sends on NIC is kept under <name>.
  record-stop <name>
      ack, writes <outdir>/<name>.pcap, "done <frames> <bytes> <bytes>".
  record-check <name> <fixture>
      ack, "result ok" when the frames of <name> equal the fixture's byte for
      byte (a frame shorter than 60 bytes may come back zero-padded to 60),
      else "result mismatch <why>".
  ping
      ack, "done 0 0 0".

Errors are answered with "error <why>". Usage:
  host_peer.py --fixtures DIR --outdir DIR --nic NAME:QEMU_PORT:PEER_PORT ...
It prints "host_peer: ready" on stdout once every port is bound.
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys
import time

CTL_TYPE = b"\x88\xb5"
PEER_MAC = bytes.fromhex("02e2e2e2e201")
MIN_FRAME = 60
DEFAULT_RATE = 2000


def log(msg):
    print("host_peer: %s" % msg, flush=True)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: too short for a pcap" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("%s: not a pcap" % path)
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        frames.append(data[off:off + caplen])
        off += caplen
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t0 = 1700000000
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", t0 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)


def same_frames(got, want):
    """None when equal (allowing zero padding of short frames), else why not."""
    if len(got) != len(want):
        return "frames=%d/%d" % (len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        if g == w:
            continue
        if len(w) < MIN_FRAME and len(g) == MIN_FRAME and g == w + bytes(MIN_FRAME - len(w)):
            continue
        return "frame=%d len=%d/%d" % (i, len(g), len(w))
    return None


class Nic:
    def __init__(self, name, qemu_port, peer_port):
        self.name = name
        self.qemu = ("127.0.0.1", qemu_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Frames the guest sends while an inject runs wait here (root may exceed rmem_max).
        for opt in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, opt, 8 << 20)
                break
            except OSError:
                pass
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", peer_port))
        self.recording = None  # name of the recording this NIC feeds

    def send(self, frame):
        self.sock.sendto(frame, self.qemu)


class Peer:
    def __init__(self, args):
        self.fixtures = args.fixtures
        self.outdir = args.outdir
        self.nics = {}
        for spec in args.nic:
            name, qport, pport = spec.split(":")
            self.nics[name] = Nic(name, int(qport), int(pport))
        self.records = {}  # name -> list of frames
        self.done_records = {}

    def reply(self, nic, dst, tag, text):
        payload = ("PFE2E %s %s" % (tag, text)).encode()
        frame = dst + PEER_MAC + CTL_TYPE + payload
        nic.send(frame + bytes(max(0, MIN_FRAME - len(frame))))

    def fixture(self, name):
        if "/" in name or name.startswith("."):
            raise ValueError("bad fixture name %r" % name)
        return read_pcap(os.path.join(self.fixtures, name + ".pcap"))

    def target(self, nic, opts, key):
        name = opts.get(key)
        if name is None:
            return nic
        if name not in self.nics:
            raise ValueError("no NIC %r" % name)
        return self.nics[name]

    def inject(self, nic, args, opts):
        frames = self.fixture(args[0])
        repeat = int(args[1]) if len(args) > 1 else 1
        rate = int(opts.get("rate", DEFAULT_RATE))
        out = self.target(nic, opts, "to")
        delay = float(opts.get("delay", 0))
        if repeat < 1 or rate < 1 or not 0 <= delay <= 120:
            raise ValueError("repeat and rate must be positive, delay 0..120")
        # frames the guest sends meanwhile wait in the socket (8 MiB)
        time.sleep(delay)
        n = nbytes = npad = 0
        start = time.monotonic()
        for _ in range(repeat):
            for fr in frames:
                out.send(fr)
                n += 1
                nbytes += len(fr)
                npad += max(len(fr), MIN_FRAME)
                # Pace: never more than `rate` frames/s averaged from the start.
                ahead = start + n / rate - time.monotonic()
                if ahead > 0.002:
                    time.sleep(ahead)
        log("inject %s x%d on %s: %d frames in %.2f s" %
            (args[0], repeat, out.name, n, time.monotonic() - start))
        return "done %d %d %d" % (n, nbytes, npad)

    def record_start(self, nic, args, opts):
        name = args[0]
        out = self.target(nic, opts, "on")
        self.records[name] = []
        out.recording = name
        return "done 0 0 0"

    def record_stop(self, nic, args, opts):
        name = args[0]
        if name not in self.records:
            raise ValueError("no recording %r" % name)
        for n in self.nics.values():
            if n.recording == name:
                n.recording = None
        frames = self.records.pop(name)
        self.done_records[name] = frames
        write_pcap(os.path.join(self.outdir, name + ".pcap"), frames)
        nb = sum(len(f) for f in frames)
        return "done %d %d %d" % (len(frames), nb, nb)

    def record_check(self, nic, args, opts):
        got = self.done_records.get(args[0])
        if got is None:
            raise ValueError("no stopped recording %r" % args[0])
        why = same_frames(got, self.fixture(args[1]))
        return "result ok" if why is None else "result mismatch " + why

    def ping(self, nic, args, opts):
        return "done 0 0 0"

    COMMANDS = {
        "inject": (inject, 1),
        "record-start": (record_start, 1),
        "record-stop": (record_stop, 1),
        "record-check": (record_check, 2),
        "ping": (ping, 0),
    }

    def control(self, nic, frame):
        words = frame[14:].rstrip(b"\0").decode("ascii", "replace").split()
        if len(words) < 3 or words[0] != "PFE2E":
            log("%s: ignored control frame %r" % (nic.name, frame[14:60]))
            return
        tag, cmd = words[1], words[2]
        args = [w for w in words[3:] if "=" not in w]
        opts = dict(w.split("=", 1) for w in words[3:] if "=" in w)
        dst = frame[6:12]
        log("%s: %s" % (nic.name, " ".join(words[2:])))
        entry = self.COMMANDS.get(cmd)
        if entry is None or len(args) < entry[1]:
            self.reply(nic, dst, tag, "error bad command %s" % " ".join(words[2:]))
            return
        self.reply(nic, dst, tag, "ack")
        try:
            answer = entry[0](self, nic, args, opts)
        except (ValueError, OSError) as e:
            answer = "error %s" % e
        log("%s: -> %s" % (nic.name, answer))
        self.reply(nic, dst, tag, answer)

    def frame_in(self, nic, frame):
        if frame[12:14] == CTL_TYPE:
            self.control(nic, frame)
        elif nic.recording is not None:
            self.records[nic.recording].append(frame)

    def run(self):
        by_fd = {n.sock.fileno(): n for n in self.nics.values()}
        log("ready")
        while True:
            ready, _, _ = select.select(list(by_fd), [], [])
            for fd in ready:
                nic = by_fd[fd]
                while True:
                    try:
                        frame = nic.sock.recv(65536, socket.MSG_DONTWAIT)
                    except BlockingIOError:
                        break
                    self.frame_in(nic, frame)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--nic", action="append", required=True,
                    help="NAME:QEMU_LOCAL_PORT:PEER_PORT")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    Peer(args).run()


if __name__ == "__main__":
    main()
