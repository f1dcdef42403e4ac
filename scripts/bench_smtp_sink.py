#!/usr/bin/env python3
"""The SMTP server of `crm-bench notifications`: aiosmtpd on 127.0.0.1, taking every mail and
keeping only counts (no disk), so that the benchmark measures the sender, not the sink.

Prints "PORT <n>" once it listens. Each line read on stdin ("count") is answered with
"<mails> <connections>"; it exits when stdin closes (the benchmark ended or died).
"""
import asyncio
import os
import socket
import sys

from aiosmtpd.smtp import SMTP


class Counter:
    def __init__(self):
        self.mails = 0
        self.connections = 0

    async def handle_DATA(self, server, session, envelope):
        self.mails += 1
        return "250 OK"


def main():
    counter = Counter()

    def factory():
        counter.connections += 1
        return SMTP(counter, hostname="bench.test", data_size_limit=10 * 1024 * 1024)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(factory, sock=sock))
    print("PORT %d" % sock.getsockname()[1], flush=True)
    buffered = b""

    def on_stdin():
        nonlocal buffered
        chunk = os.read(sys.stdin.fileno(), 1024)
        if not chunk:
            loop.stop()
            return
        buffered += chunk
        while b"\n" in buffered:
            _, buffered = buffered.split(b"\n", 1)
            sys.stdout.write("%d %d\n" % (counter.mails, counter.connections))
            sys.stdout.flush()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    loop.run_forever()


if __name__ == "__main__":
    main()
