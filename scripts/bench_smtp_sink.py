#!/usr/bin/env python3
"""The SMTP server of `crm-bench notifications`: real SMTP on 127.0.0.1 that takes every mail and
keeps only counts (no disk), so that the benchmark measures the sender, not the sink.

aiosmtpd (one Python core) took at most ~700-1,000 mails/s here, about what the service was
asked to reach, so this is a minimal SMTP server on asyncio instead (greeting, EHLO/HELO, MAIL,
RCPT, DATA with dot-unstuffing ignored, RSET, NOOP, QUIT), run by `--processes` forked workers
accepting on one listening socket. `--aiosmtpd` runs the old aiosmtpd server (one process).

Prints "PORT <n>" once it listens. Each line read on stdin ("count") is answered with
"<mails> <connections>"; it exits when stdin closes (the benchmark ended or died).
"""
import argparse
import asyncio
import multiprocessing
import os
import signal
import socket
import sys

GREETING = b"220 bench.test ESMTP sink\r\n"
EHLO = b"250-bench.test\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SIZE 10485760\r\n"
END_OF_DATA = b"\r\n.\r\n"


class SinkProtocol(asyncio.Protocol):
    """One connection: commands line by line; after DATA, everything up to CRLF.CRLF is the mail."""

    def __init__(self, counts, slot):
        self.counts, self.slot = counts, slot
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport):
        self.transport = transport
        self.counts[2 * self.slot + 1] += 1
        transport.write(GREETING)

    def data_received(self, data):
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                # The mail's first line may itself be the end (an empty mail).
                if self.buffer.startswith(b".\r\n"):
                    end, skip = 0, 3
                else:
                    end = self.buffer.find(END_OF_DATA)
                    if end < 0:
                        break
                    skip = end + len(END_OF_DATA)
                self.buffer = self.buffer[skip:]
                self.in_data = False
                self.counts[2 * self.slot] += 1
                replies.append(b"250 OK queued\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
            verb = line[:4].upper()
            if verb == b"EHLO":
                replies.append(EHLO)
            elif verb == b"DATA":
                self.in_data = True
                replies.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                replies.append(b"221 Bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                replies.append(b"250 OK\r\n")
            else:
                replies.append(b"502 Command not implemented\r\n")
        if replies:
            self.transport.write(b"".join(replies))


def serve(sock, counts, slot, parent):
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(lambda: SinkProtocol(counts, slot), sock=sock))

    def watch_parent():
        if os.getppid() != parent:
            loop.stop()
        else:
            loop.call_later(1, watch_parent)

    loop.call_later(1, watch_parent)
    loop.run_forever()
    os._exit(0)


def aiosmtpd_factory(counts):
    from aiosmtpd.smtp import SMTP

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            counts[0] += 1
            return "250 OK"

    def factory():
        counts[1] += 1
        return SMTP(Counter(), hostname="bench.test", data_size_limit=10 * 1024 * 1024)

    return factory


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--aiosmtpd", action="store_true")
    args = parser.parse_args()
    processes = 1 if args.aiosmtpd else max(1, args.processes)
    # Per process: mails, connections (no lock: each process writes its own slots).
    counts = multiprocessing.Array("q", 2 * processes, lock=False)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    sock.setblocking(False)
    children = []
    if args.aiosmtpd:
        loop = asyncio.new_event_loop()
        loop.run_until_complete(loop.create_server(aiosmtpd_factory(counts), sock=sock))
    else:
        parent = os.getpid()
        for slot in range(processes):
            pid = os.fork()
            if pid == 0:
                serve(sock, counts, slot, parent)
            children.append(pid)
        loop = asyncio.new_event_loop()
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
            mails = sum(counts[2 * i] for i in range(processes))
            connections = sum(counts[2 * i + 1] for i in range(processes))
            sys.stdout.write("%d %d\n" % (mails, connections))
            sys.stdout.flush()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    loop.run_forever()
    for pid in children:
        # SIGKILL: a parent such as crm-bench may start us with SIGTERM blocked (inherited mask).
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
