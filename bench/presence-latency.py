#!/usr/bin/env python3
"""Time from a killed client process to its ondisconnect action's push reaching a subscriber.

Usage: bench/presence-latency.py PORT RUNS
A protocol-3 subscriber watches room.bench; each run starts a client *process* that says hello 3, registers
`ondisconnect s room.bench.pN gone`, and waits; the process is killed with SIGKILL (the kernel closes its socket,
as when a game app is killed) and the time until the subscriber reads the push is printed, in milliseconds.
"""
import os, signal, socket, subprocess, sys, time

port, runs = int(sys.argv[1]), int(sys.argv[2])
CLIENT = r'''
import socket, sys
s = socket.create_connection(("127.0.0.1", %d))
f = s.makefile("rwb")
for line in (b"hello 3\n", b"ondisconnect s room.bench.p%d gone\n"):
    f.write(line); f.flush(); f.readline()
print("ready", flush=True)
sys.stdin.read()
'''
sub = socket.create_connection(("127.0.0.1", port))
sf = sub.makefile("rwb")
for line in (b"hello 3\n", b"#k room.bench\n"):
    sf.write(line); sf.flush(); sf.readline()
times = []
for i in range(runs):
    p = subprocess.Popen([sys.executable, "-c", CLIENT % (port, i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"ready"
    t0 = time.monotonic()
    os.kill(p.pid, signal.SIGKILL)
    line = sf.readline()
    t1 = time.monotonic()
    p.wait()
    assert line.decode().endswith("p%d gone\n" % i), line
    times.append((t1 - t0) * 1000)
    sf.write(b"ping\n"); sf.flush(); sf.readline()  # keep the subscriber within --session-timeout
times.sort()
print("runs %d: min %.1f ms, median %.1f ms, max %.1f ms" % (runs, times[0], times[len(times) // 2], times[-1]))
