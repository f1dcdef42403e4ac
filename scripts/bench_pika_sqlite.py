#!/usr/bin/env python3
"""The plainest alternative a user would write: a pika consumer that stores each order.placed
in sqlite3 (an inbox row for idempotency and an order row), commits, then acks, one message at
a time. crm-bench runs it as scenario (c).

  bench_pika_sqlite.py URL QUEUE COUNT DB [--prefetch N]

Prints "ready" once consuming, then one JSON line: count, seconds (first to last message),
and the latencies p50/p99 in ms measured from the send time crm-bench encodes in message_id
("<prefix>-<i>-<monotonic ns>") with the same CLOCK_MONOTONIC.
"""
import json
import sqlite3
import sys
import time

import pika


def main():
    url, queue, count, db_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    prefetch = int(sys.argv[sys.argv.index("--prefetch") + 1]) if "--prefetch" in sys.argv else 500
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS inbox (message_id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE IF NOT EXISTS orders (store_id TEXT, order_id TEXT, phone TEXT, amount INTEGER, "
               "PRIMARY KEY (store_id, order_id))")
    db.commit()

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=prefetch)
    latencies = []
    state = {"received": 0, "first": None, "last": None}

    def on_message(ch, method, properties, body):
        now = time.monotonic_ns()
        if state["first"] is None:
            state["first"] = now
        order = json.loads(body)
        cur = db.execute("INSERT OR IGNORE INTO inbox (message_id) VALUES (?)", (properties.message_id,))
        if cur.rowcount == 1:
            db.execute("INSERT OR IGNORE INTO orders VALUES (?, ?, ?, ?)",
                       (order["store_id"], order["order_id"], order["customer"].get("phone"), order["total"]["amount"]))
        db.commit()
        ch.basic_ack(delivery_tag=method.delivery_tag)
        sent = properties.message_id.rsplit("-", 1)[-1]
        if sent.isdigit():
            latencies.append((time.monotonic_ns() - int(sent)) / 1e6)
        state["received"] += 1
        state["last"] = time.monotonic_ns()
        if state["received"] >= count:
            ch.stop_consuming()

    channel.basic_consume(queue=queue, on_message_callback=on_message)
    print("ready", flush=True)
    channel.start_consuming()
    connection.close()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else None

    seconds = (state["last"] - state["first"]) / 1e9 if state["first"] else 0
    print(json.dumps({"count": state["received"], "seconds": seconds, "p50_ms": pct(0.50), "p99_ms": pct(0.99)}), flush=True)


if __name__ == "__main__":
    main()
