"""An independent WebSocket client for Bite's end-to-end tests (bite.e2e.WebSocketClientE2ETest runs it).

Uses the `websockets` package (pip install websockets; .ci/run installs it). Usage:

    python3 ws_client.py MODE PORT [ARGS...]

Each mode prints what it saw as lines "key value" on stdout, which the Java test asserts on; a failure prints a
traceback on stderr and exits non-zero.
"""
import asyncio
import sys

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

TIMEOUT = 20


def url(port):
    return f"ws://127.0.0.1:{port}/ws"


async def lines(ws, n):
    """Receives messages until n lines came; every message must hold complete lines only."""
    got = []
    while len(got) < n:
        message = await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert isinstance(message, str), "a text message"
        assert message.endswith("\n"), "a message ends at a line's end: " + repr(message)
        got.extend(message.split("\n")[:-1])
    return got


async def pipeline(port):
    async with websockets.connect(url(port), max_size=None) as ws:
        await ws.send("s p.a 1\ns p.b 2\n+ p.a 5\ng p.a\ng p.b\nping")  # last line without \n
        for line in await lines(ws, 6):
            print("reply", line)
        # a fragmented message, cut inside lines
        await ws.send(iter(["s fr", "ag 7\ng fr", "ag"]))
        for line in await lines(ws, 2):
            print("fragmented", line)


async def idle_push(port):
    async with websockets.connect(url(port)) as sub, websockets.connect(url(port)) as pub:
        await sub.send("hello 3\n#k room")
        for line in await lines(sub, 2):
            print("sub", line.split(" ")[0])
        await pub.send("s room.p1 here")
        print("pub", (await lines(pub, 1))[0])
        # the subscriber sends nothing: the push comes while it idles
        print("push", (await lines(sub, 1))[0])


async def slow(port, count, size):
    """A subscriber that stops reading while another connection writes: the server drops it."""
    sub = await websockets.connect(url(port), max_size=None, max_queue=1)
    await sub.send("#k big")
    print("sub", (await lines(sub, 1))[0])
    sub.transport.pause_reading()  # stop reading the socket altogether: the kernel buffers fill, then the server's
    value = "x" * size
    async with websockets.connect(url(port), max_size=None) as pub:
        for i in range(count):
            await pub.send(f"s big.{i} {value}")
        replies = await lines(pub, count)
        print("pub-ok", sum(1 for r in replies if r == "OK"))
    sub.transport.resume_reading()
    received = 0
    try:
        while True:
            message = await asyncio.wait_for(sub.recv(), TIMEOUT)
            received += message.count("\n")
    except ConnectionClosed as e:
        print("closed", e.rcvd.code if e.rcvd else 1006)
    print("received-less", int(received < count))


async def many(port, n):
    """n WebSockets open at once, each answered; keeps them open until stdin says to close."""
    async def one(i):
        ws = await websockets.connect(url(port), open_timeout=TIMEOUT)
        await ws.send(f"s many.{i} {i}\ng many.{i}")
        got = await lines(ws, 2)
        assert got == ["OK", str(i)], got
        return ws

    sockets = await asyncio.gather(*(one(i) for i in range(n)))
    print("open", len(sockets), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await asyncio.gather(*(ws.close() for ws in sockets))
    print("closed", sum(1 for ws in sockets if ws.close_code == 1000))


async def codes(port, max_line):
    async with websockets.connect(url(port)) as ws:
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, TIMEOUT)
        print("pong", "ok")
        await ws.send(b"binary")
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        except ConnectionClosed as e:
            print("binary", e.rcvd.code)
    async with websockets.connect(url(port), max_size=None) as ws:
        await ws.send("s k " + "v" * max_line)
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        except ConnectionClosed as e:
            print("oversize", e.rcvd.code)
    async with websockets.connect(url(port)) as ws:
        await ws.send("quit")
        print("quit-reply", (await lines(ws, 1))[0])
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        except ConnectionClosed as e:
            print("quit", e.rcvd.code)
    ws = await websockets.connect(url(port))
    await ws.close(4000, "done")
    print("client-close", ws.close_code)
    try:
        await websockets.connect(url(port), origin="https://evil.example")
    except InvalidStatus as e:
        print("evil-origin", e.response.status_code)
    async with websockets.connect(url(port), origin=f"http://127.0.0.1:{port}") as ws:
        await ws.send("ping")
        print("same-origin", (await lines(ws, 1))[0])


def main():
    mode, port, rest = sys.argv[1], int(sys.argv[2]), [int(a) for a in sys.argv[3:]]
    run = {"pipeline": pipeline, "idle-push": idle_push, "slow": slow, "many": many, "codes": codes}[mode]
    asyncio.run(run(port, *rest))


if __name__ == "__main__":
    main()
