#!/usr/bin/env python3
"""A webhook receiver that checks notification-service's signed POSTs, as a shop's system would.

Usage: webhook_receiver.py FOLDER. Listens on 127.0.0.1 (a port the kernel picks, printed as
"port N" on the first line) and takes POST /hooks/NAME, with the endpoint's secret in
FOLDER/secrets/NAME. FOLDER/modes/NAME, when present, makes the endpoint misbehave: "fail STATUS N"
answers STATUS to the next N requests (a receiver down), "status STATUS" always answers STATUS,
"sleep SECONDS" answers late. Every request is appended to FOLDER/received.jsonl with the status
answered and why. The check itself, between the markers, is the one the README shows.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# BEGIN README CHECK
import hashlib, hmac, json, time

TOLERANCE = 300  # seconds: an older timestamp is a replay

def verify(secret: str, headers, body: bytes, seen: set) -> str | None:
    """None when the request is authentic and new, else why it is refused."""
    timestamp, signature = headers.get("X-CRM-Timestamp", ""), headers.get("X-CRM-Signature", "")
    if not timestamp.isdigit() or not signature.startswith("v1="):
        return "malformed"
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature[3:]):
        return "bad signature"
    if abs(time.time() - int(timestamp)) > TOLERANCE:
        return "too old"
    event_id = json.loads(body)["id"]  # signed with the body (the X-CRM-Event-ID header is not)
    if event_id in seen:
        return "replayed"
    seen.add(event_id)
    return None
# END README CHECK

STATUS = {"malformed": 400, "bad signature": 401, "too old": 403, "replayed": 409}


def main():
    folder = sys.argv[1]
    for sub in ("secrets", "modes"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    lock = threading.Lock()
    seen = {}     # endpoint name -> event ids taken
    failing = {}  # endpoint name -> failures already answered under its "fail" mode

    def read(sub, name):
        try:
            with open(os.path.join(folder, sub, name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            name = self.path.rsplit("/", 1)[-1]
            mode = (read("modes", name) or "").split()
            status, reason = 200, "accepted"
            if mode[:1] == ["sleep"]:
                time.sleep(float(mode[1]))
            with lock:
                if mode[:1] == ["fail"] and failing.get(name, 0) < int(mode[2]):
                    failing[name] = failing.get(name, 0) + 1
                    status, reason = int(mode[1]), "failing on purpose"
                elif mode[:1] == ["status"]:
                    status, reason = int(mode[1]), "refusing on purpose"
                else:
                    secret = read("secrets", name)
                    refusal = "no secret" if secret is None else verify(secret, self.headers, body, seen.setdefault(name, set()))
                    if refusal:
                        status, reason = STATUS.get(refusal, 401), refusal
                with open(os.path.join(folder, "received.jsonl"), "a") as log:
                    log.write(json.dumps({"endpoint": name, "status": status, "reason": reason,
                                          "headers": {k: v for k, v in self.headers.items()},
                                          "body": body.decode("utf-8", "replace")}) + "\n")
            answer = json.dumps({"reason": reason}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
