#!/usr/bin/env python3
"""A webhook receiver of `crm-bench notifications`: POST /fast answers 200 at once, POST /slow
after 2 seconds (a partner's slow system). HTTP/1.1 with keep-alive, a thread per connection, so
a slow answer holds only its own connection. Prints "PORT <n>" once it listens; exits when stdin
closes. The signature is not checked here (scripts/webhook_receiver.py and the tests do that).
"""
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        if self.path.startswith("/slow"):
            time.sleep(2)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 512
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while os.read(sys.stdin.fileno(), 1024):
        pass


if __name__ == "__main__":
    main()
