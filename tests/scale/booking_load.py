#!/usr/bin/python3
"""A bounded booking load through the cluster's HTTP front (tests/scale/cluster.sh).

Each worker books one-night stays one after another, each under an Idempotency-Key of its
own, and retries a request that got no answer, a 5xx or 409 idempotency_key_in_flight with
the same key (the same body) until it is answered 201 or refused, or the key's time runs out.
It stops when the stop file appears or at the deadline, and writes what it saw as JSON:
  acked:    [{"key", "id", "guest"}]  every booking answered 201 (the client's receipts)
  given_up: [{"key", "guest"}]        keys whose retries ran out (a booking may exist for them)
  refused:  {code: count}             answered 4xx other than in flight (sold_out expected)
  attempts: [[t, ok]]                 every request: its end time and whether it was answered
                                      (201 or a refusal) rather than failed
Usage: booking_load.py CONFIG.json OUT.json STOP_FILE
CONFIG: {"url", "guests": [{"email", "token"}], "stays": [{"hotel_id", "room_type_id",
         "rate_plan_id"}], "workers", "seconds", "key_seconds", "first_day", "days"}
"""
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse


def main():
    config_path, out_path, stop_file = sys.argv[1:4]
    with open(config_path) as f:
        cfg = json.load(f)
    url = urllib.parse.urlsplit(cfg["url"])
    deadline = time.time() + cfg["seconds"]
    lock = threading.Lock()
    acked, given_up, refused, attempts = [], [], {}, []
    today = datetime.date.today()

    def stopping():
        return time.time() >= deadline or os.path.exists(stop_file)

    def post(conn_box, token, key, body):
        """One request; (status, parsed body) or (None, None) on a transport failure."""
        try:
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            conn_box[0].request("POST", "/v1/bookings", body=body, headers={
                "Authorization": "Bearer " + token, "Content-Type": "application/json",
                "Idempotency-Key": key})
            r = conn_box[0].getresponse()
            data = r.read()
            if r.getheader("Connection", "").lower() == "close":
                conn_box[0].close()
                conn_box[0] = None
            try:
                parsed = json.loads(data) if data else {}
            except ValueError:
                parsed = {}
            return r.status, parsed
        except (OSError, http.client.HTTPException):
            if conn_box[0] is not None:
                conn_box[0].close()
            conn_box[0] = None
            return None, None

    def worker(w):
        rng = random.Random(w)
        guest = cfg["guests"][w % len(cfg["guests"])]
        conn_box = [None]
        n = 0
        while not stopping():
            n += 1
            key = "load-%d-%d" % (w, n)
            stay = rng.choice(cfg["stays"])
            check_in = today + datetime.timedelta(days=cfg["first_day"] + rng.randrange(cfg["days"]))
            body = json.dumps({**stay, "check_in": check_in.isoformat(),
                               "check_out": (check_in + datetime.timedelta(days=1)).isoformat(),
                               "guests": 1})
            key_deadline = time.time() + cfg["key_seconds"]
            while True:
                status, parsed = post(conn_box, guest["token"], key, body)
                now = time.time()
                code = (parsed or {}).get("code", "")
                answered = status is not None and status < 500 and code != "idempotency_key_in_flight"
                with lock:
                    attempts.append([now, answered])
                if status == 201:
                    with lock:
                        acked.append({"key": key, "id": parsed["id"], "guest": guest["email"]})
                    break
                if answered:
                    with lock:
                        refused[code or str(status)] = refused.get(code or str(status), 0) + 1
                    break
                if now >= key_deadline:
                    with lock:
                        given_up.append({"key": key, "guest": guest["email"]})
                    break
                time.sleep(0.2)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(cfg["workers"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    attempts.sort()
    with open(out_path, "w") as f:
        json.dump({"acked": acked, "given_up": given_up, "refused": refused,
                   "attempts": attempts}, f)
    print("load: %d acknowledged, %d refused %s, %d keys given up, %d requests"
          % (len(acked), sum(refused.values()), refused, len(given_up), len(attempts)))


if __name__ == "__main__":
    main()
