#!/usr/bin/env python3
"""bench/ws-idle.py - N idle WebSocket subscribers, for the server's memory per idle WebSocket (bench/ws-vs-tcp.sh).

    python3 bench/ws-idle.py --port HTTP_PORT [--conns 10000] [--hold 120]

Opens N WebSockets to ws://127.0.0.1:PORT/ws, 64 at a time, each subscribing to its own key ("#g idle.<i>", waits for
OK), prints "ready <N> <seconds>" and holds them until SIGTERM or --hold seconds. Needs Python's websockets package.
"""
import argparse
import asyncio
import signal
import time

import websockets


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--conns", type=int, default=10000)
    ap.add_argument("--hold", type=float, default=120)
    args = ap.parse_args()
    url = f"ws://127.0.0.1:{args.port}/ws"
    gate = asyncio.Semaphore(64)
    start = time.monotonic()

    async def one(i):
        async with gate:
            ws = await websockets.connect(url, open_timeout=30, ping_interval=None, compression=None)
            await ws.send(f"#g idle.{i}")
            reply = await asyncio.wait_for(ws.recv(), 30)
            if reply != "OK\n":
                raise SystemExit(f"subscription {i} got {reply!r}")
            return ws

    sockets = await asyncio.gather(*(one(i) for i in range(args.conns)))
    print(f"ready {len(sockets)} {time.monotonic() - start:.1f}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.hold)
    except asyncio.TimeoutError:
        pass


asyncio.run(main())
