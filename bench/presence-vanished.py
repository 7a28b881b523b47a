#!/usr/bin/env python3
"""Time from a connection that vanishes (no FIN, no RST: its packets dropped) to its ondisconnect push.

Usage, in a network namespace of one's own (needs iptables there), with a server on PORT:
  unshare -rn sh -c 'ip link set lo up; java -jar target/bite.jar --port PORT ... & sleep 2;
                     bench/presence-vanished.py PORT RUNS'
A protocol-2 subscriber (no --session-timeout for it) watches room.bench; each run a client says hello 3 and registers
`ondisconnect s room.bench.pN gone`, then every packet to or from its port is dropped with iptables (what a phone
that loses coverage looks like to the server); the time until the subscriber reads the push is printed.
"""
import socket, subprocess, sys, time

port, runs = int(sys.argv[1]), int(sys.argv[2])
sub = socket.create_connection(("127.0.0.1", port))
sf = sub.makefile("rwb")
sf.write(b"#k room.bench\n"); sf.flush(); sf.readline()
times = []
for i in range(runs):
    c = socket.create_connection(("127.0.0.1", port))
    cf = c.makefile("rwb")
    for line in (b"hello 3\n", b"ondisconnect s room.bench.p%d gone\n" % i):
        cf.write(line); cf.flush(); cf.readline()
    cport = c.getsockname()[1]
    rules = [["-p", "tcp", "--sport", str(cport), "-j", "DROP"], ["-p", "tcp", "--dport", str(cport), "-j", "DROP"]]
    t0 = time.monotonic()
    for r in rules:
        subprocess.run(["iptables", "-A", "INPUT"] + r, check=True)
    line = sf.readline()
    t1 = time.monotonic()
    assert line.decode().endswith("p%d gone\n" % i), line
    times.append((t1 - t0) * 1000)
    for r in rules:
        subprocess.run(["iptables", "-D", "INPUT"] + r, check=True)
    c.close()
times.sort()
print("runs %d: min %.1f ms, median %.1f ms, max %.1f ms" % (runs, times[0], times[len(times) // 2], times[-1]))
