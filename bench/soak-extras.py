#!/usr/bin/env python3
"""bench/soak-extras.py PORT SECONDS PRESSURE_CYCLES - the soak's extra load (run by bench/soak.sh).

Until SECONDS have passed: big reads (whole-database `j` and `k`, `js` of a 50,000-key subtree, and a tagged `j` in
protocol 3) every 2 s, timed; protocol-3 subscribers of a counter (`every=50`) that a writer increments, each
reconnecting every 10 s and resuming with `from=EPOCH:REV` (pushes must stay in revision order, values never go
back). Then PRESSURE_CYCLES memory-cap cycles: fill 64 KiB values until `ERR out of memory` (reads and `info` must
keep working meanwhile), `dd` them, and wait until writes are accepted again. Prints one RESULT line; exit 0.
"""
import socket
import sys
import threading
import time

PORT, SECONDS, CYCLES = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
END = time.time() + SECONDS
stats = {"big_reads": 0, "big_read_errors": 0, "big_read_worst_ms": 0.0, "p3_pushes": 0, "p3_resumes_ok": 0,
         "p3_resumes_no": 0, "p3_errors": 0, "pressure_cycles": 0, "pressure_fills": 0, "pressure_errors": 0,
         "pressure_worst_recover_ms": 0.0}
lock = threading.Lock()
notes = []


def bump(name, by=1):
    with lock:
        stats[name] += by


def worst(name, value):
    with lock:
        stats[name] = max(stats[name], value)


def note(text):
    with lock:
        if len(notes) < 20:
            notes.append(text)


class Conn:
    def __init__(self, timeout=60):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")

    def send(self, line):
        self.s.sendall(line.encode() + b"\n")

    def line(self):
        raw = self.f.readline()
        if not raw.endswith(b"\n"):
            raise EOFError("connection closed")
        return raw[:-1].decode("utf-8", "replace")

    def ask(self, line):
        self.send(line)
        return self.line()

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def preload():
    c = Conn()
    for start in range(0, 50000, 5000):
        items = "".join("|soak.big.%d.k%d v%d" % (i // 100, i % 100, i) for i in range(start, start + 5000))
        if c.ask("sl " + items) != "OK":
            note("preload refused")
    c.ask("s soak.p3.counter 0")
    c.close()


def big_reads():
    plain, tagged = Conn(), Conn()
    tagged.ask("hello 3")
    while time.time() < END:
        for conn, cmd, prefix in ((plain, "j", "{"), (plain, "k", ""), (plain, "js soak.big", '{"soak":{"big":{'),
                                  (tagged, "j soak.big", "={")):
            t = time.perf_counter()
            try:
                reply = conn.ask(cmd)
            except (OSError, EOFError) as e:
                bump("big_read_errors"); note("%s: %s" % (cmd, e)); return
            worst("big_read_worst_ms", (time.perf_counter() - t) * 1000)
            bump("big_reads")
            if not reply.startswith(prefix) or reply.startswith("ERR") or reply.startswith("=ERR"):
                bump("big_read_errors"); note("%s answered %s" % (cmd, reply[:80]))
        time.sleep(2)
    plain.close(); tagged.close()


def counter_writer():
    c = Conn()
    while time.time() < END + 2:
        r = c.ask("+1 soak.p3.counter")
        if not r.isdigit():
            bump("p3_errors"); note("+1 answered " + r)
        time.sleep(0.01)
    c.close()


def subscriber(n):
    epoch, last_rev, last_value = None, None, -1
    while time.time() < END:
        c = Conn(timeout=10)
        try:
            hello = c.ask("hello 3").split()
            if hello[:2] != ["=OK", "3"]:
                bump("p3_errors"); note("hello 3 answered %s" % hello); return
            opts = "every=50"
            if epoch == hello[2] and last_rev is not None:
                opts += " from=%s:%d" % (epoch, last_rev)
            epoch = hello[2]
            c.send("#g soak.p3.counter " + opts)
            until = time.time() + 10
            while time.time() < until and time.time() < END:
                line = c.line()
                if line.startswith(">g soak.p3.counter "):
                    _, _, rev, value = line.split(" ", 3)
                    rev, value = int(rev), int(value)
                    if (last_rev is not None and rev <= last_rev) or value < last_value:
                        bump("p3_errors"); note("sub %d: %s after rev %s value %d" % (n, line, last_rev, last_value))
                    last_rev, last_value = rev, value
                    bump("p3_pushes")
                elif line.startswith("=OK"):
                    if "from=" in opts:
                        bump("p3_resumes_ok")
                    if last_rev is None:
                        last_rev = int(line.split()[1])
                elif line.startswith("=NO"):
                    bump("p3_resumes_no")  # the history moved on (or was dropped over the memory cap): reload
                    last_rev, last_value = int(line.split()[1]), -1
                else:
                    bump("p3_errors"); note("sub %d: unexpected %s" % (n, line[:80]))
        except (OSError, EOFError, ValueError) as e:
            bump("p3_errors"); note("sub %d: %s" % (n, e))
        finally:
            c.close()


def pressure():
    c, side = Conn(), Conn()
    value = "m" * 65536
    for cycle in range(CYCLES):
        filled, reply = 0, "OK"
        while reply == "OK" and filled < 20000:
            reply = c.ask("s soak.mem.%d %s" % (filled, value))
            filled += 1
        bump("pressure_fills", filled)
        if reply != "ERR out of memory":
            bump("pressure_errors"); note("cycle %d: fill ended with %s after %d" % (cycle, reply[:60], filled)); continue
        info = side.ask("info")
        if side.ask("g soak.big.0.k0") != "v0" or '"memory_over_cap":true' not in info:
            bump("pressure_errors"); note("cycle %d: reads or info wrong over the cap: %s" % (cycle, info[:200]))
        if c.ask("dd soak.mem") != "OK":
            bump("pressure_errors"); note("cycle %d: dd refused" % cycle)
        t = time.perf_counter()
        while c.ask("s soak.mem.probe 1") != "OK":
            if time.perf_counter() - t > 60:
                bump("pressure_errors"); note("cycle %d: writes still refused 60 s after dd" % cycle); break
            time.sleep(0.05)
        worst("pressure_worst_recover_ms", (time.perf_counter() - t) * 1000)
        c.ask("d soak.mem.probe")
        bump("pressure_cycles")
    c.close(); side.close()


preload()
threads = [threading.Thread(target=big_reads), threading.Thread(target=counter_writer)]
threads += [threading.Thread(target=subscriber, args=(i,)) for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
pressure()
print("RESULT " + " ".join("%s=%s" % (k, round(v, 1) if isinstance(v, float) else v) for k, v in stats.items()))
for n in notes:
    print("NOTE " + n)
