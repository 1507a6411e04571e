#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How many trace events per second 'pktpath journey -r' joins.

  journey_rate.py PKTPATH TRACE COPIES [NOISE]

Writes COPIES copies of TRACE (a recorded ping, say) one after another,
each shifted 10 ms later, with its own skb addresses, IPv4 ids and ICMP
sequence numbers (so each copy is new packets, as a ping flood would be),
and NOISE kernel receive events per copy of skbs no event of ours names
(traffic of another NIC), then times 'journey -r' on it and prints
events, packets and events/s.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

pktpath, trace, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
noise = int(sys.argv[4]) if len(sys.argv) > 4 else 0
lines = [l for l in open(trace) if not l.startswith("#")]
ts = re.compile(r"(\s)(\d+)\.(\d{6}): ")
skb = re.compile(r"skbaddr=([0-9a-f]+)")
hdr = re.compile(r"hdr=([0-9a-f]+)")


def patch_hdr(m, k):
    h = bytearray.fromhex(m.group(1))
    if len(h) >= 28 and h[0] >> 4 == 4:
        h[4:6] = (k & 0xffff).to_bytes(2, "big")          # IPv4 id
        if h[9] == 1 and len(h) >= 28:
            h[26:28] = (k & 0xffff).to_bytes(2, "big")    # ICMP sequence
    return "hdr=" + h.hex()


with tempfile.NamedTemporaryFile("w", suffix=".trace", delete=False) as out:
    n = 0
    for k in range(copies):
        for l in lines:
            def shift(m):
                us = int(m.group(2)) * 1000000 + int(m.group(3)) + k * 10000
                return "%s%d.%06d: " % (m.group(1), us // 1000000, us % 1000000)
            l = ts.sub(shift, l, count=1)
            l = skb.sub(lambda m: "skbaddr=%016x" % (int(m.group(1), 16) ^ (k << 40)), l)
            l = hdr.sub(lambda m: patch_hdr(m, k), l)
            out.write(l)
            n += 1
        for i in range(noise):
            us = 100000000 + k * 10000 + i
            out.write("          <idle>-0       [000] ..s1.   %d.%06d: netif_receive_skb: "
                      "dev=eth9 skbaddr=%016x len=60\n" % (us // 1000000, us % 1000000,
                                                              (k << 20) | (i << 4) | 0xf000000000))
            n += 1
    path = out.name
t0 = time.time()
res = subprocess.run([pktpath, "journey", "-j", "-c", "3600", "-r", path],
                     capture_output=True, text=True)
dt = time.time() - t0
os.unlink(path)
packets = res.stdout.count('"id":')
print("journey -r: %d events, %d packets in %.2f s: %.0f events/s" % (n, packets, dt, n / dt))
sys.exit(res.returncode)
