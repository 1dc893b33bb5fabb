#!/usr/bin/env python3
"""Attack clients for bench/attack.sh: hostile requests against a running
`schemactl serve`, in parallel loops, for a fixed time.

    attack.py URL SUBJECT SECONDS SLOWLORIS_SOCKETS OUT.json [SKIP]

SKIP: attack names to leave out, separated by spaces or commas.

Attacks (each its own thread; every socket has a timeout, so nothing here
can hang past SECONDS plus that timeout):
  deep      POST /subjects/{s}: an option aggregate nested 3,000 levels
  longname  POST /subjects/{s}: `package a.a.a...` of about 60 KB
  enums     POST /subjects/{s}: 34,000 enum values carrying options (~850 KB)
  badb64    POST /compatibility/...: base64 that is not a descriptor, and
            descriptors whose syntax is "proto9" / "editions"
  slowloris SLOWLORIS_SOCKETS connections that send a request head one
            header line every 2 s, never finishing; reopened when closed

Writes per attack: requests sent, answers by status, connection errors.
Standard library only.
"""

import base64
import json
import socket
import sys
import threading
import time
import urllib.parse

URL, SUBJECT, SECONDS, LORIS, OUT = sys.argv[1:6]
SKIP = set(sys.argv[6].replace(",", " ").split()) if len(sys.argv) > 6 else set()
SECONDS = float(SECONDS)
LORIS = int(LORIS)
HOST, PORT = urllib.parse.urlsplit(URL).hostname, urllib.parse.urlsplit(URL).port
DEADLINE = time.monotonic() + SECONDS
TIMEOUT = 30.0

stats = {}
lock = threading.Lock()


def count(attack, key):
    with lock:
        s = stats.setdefault(attack, {"sent": 0, "status": {}, "errors": 0})
        if key == "sent":
            s["sent"] += 1
        elif key == "error":
            s["errors"] += 1
        else:
            s["status"][key] = s["status"].get(key, 0) + 1


def post(attack, path, body):
    data = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nConnection: close\r\n"
        f"Content-Type: application/vnd.schemaregistry.v1+json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode()
    count(attack, "sent")
    try:
        with socket.create_connection((HOST, PORT), timeout=TIMEOUT) as s:
            s.sendall(head + data)
            raw = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                raw += chunk
        status = raw.split(b" ", 2)[1].decode() if raw.startswith(b"HTTP/") else "none"
        count(attack, status)
        if b"panick" in raw:
            count(attack, "panic-text")
    except OSError:
        count(attack, "error")
        time.sleep(0.2)


def proto(body):
    return {"schema": body, "schemaType": "PROTOBUF"}


def deep_nesting(levels=3000):
    return (
        'syntax = "proto2";\npackage acme.billing.v1;\n'
        'import "google/protobuf/descriptor.proto";\n'
        "message R { optional R r = 1; }\n"
        "extend google.protobuf.MessageOptions { optional R deep = 50001; }\n"
        "message PaymentCaptured { option (deep) = { "
        + "r { " * levels
        + "} " * levels
        + "}; }\n"
    )


def long_package(parts=30000):
    return (
        'syntax = "proto3";\npackage '
        + "a." * (parts - 1)
        + "a;\nmessage PaymentCaptured { string id = 1; }\n"
    )


def many_enums(values=34000):
    lines = "".join(f"B{i}={i}[deprecated=true];" for i in range(values))
    return (
        'syntax = "proto3";\npackage acme.billing.v1;\nenum Big {\n'
        + lines
        + "}\nmessage PaymentCaptured { Big big = 1; }\n"
    )


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def descriptor(syntax):
    # FileDescriptorProto: name (1), package (2), message_type (4) with a
    # name and one int32 field, syntax (12).
    fld = field(1, b"id") + bytes([0x18, 1, 0x20, 1, 0x28, 5])
    msg = field(1, b"PaymentCaptured") + field(2, fld)
    fdp = field(1, b"x.proto") + field(2, b"acme.billing.v1") + field(4, msg) + field(12, syntax.encode())
    return base64.b64encode(fdp).decode()


def loop(attack, path, bodies):
    i = 0
    while time.monotonic() < DEADLINE:
        post(attack, path, bodies[i % len(bodies)])
        i += 1


def slowloris():
    socks = []
    while time.monotonic() < DEADLINE:
        while len(socks) < LORIS and time.monotonic() < DEADLINE:
            try:
                s = socket.create_connection((HOST, PORT), timeout=2)
                s.sendall(f"GET /subjects HTTP/1.1\r\nHost: {HOST}\r\n".encode())
                socks.append(s)
                count("slowloris", "sent")
            except OSError:
                count("slowloris", "error")
                time.sleep(0.1)
                break
        alive = []
        for s in socks:
            try:
                s.sendall(b"X-Slow: 1\r\n")
                alive.append(s)
            except OSError:
                count("slowloris", "closed-by-server")
                s.close()
        socks = alive
        time.sleep(2)
    for s in socks:
        s.close()


subject_path = "/subjects/" + urllib.parse.quote(SUBJECT, safe="")
compat_path = f"/compatibility/subjects/{urllib.parse.quote(SUBJECT, safe='')}/versions/latest"
attacks = {
    "deep": (loop, ("deep", subject_path, [proto(deep_nesting())])),
    "longname": (loop, ("longname", subject_path, [proto(long_package())])),
    "enums": (loop, ("enums", subject_path, [proto(many_enums())])),
    "badb64": (
        loop,
        (
            "badb64",
            compat_path,
            [proto("AAAA////"), proto(descriptor("proto9")), proto(descriptor("editions")), proto("!!notbase64==")],
        ),
    ),
    "slowloris": (slowloris, ()),
}
unknown = SKIP - set(attacks)
if unknown:
    sys.exit(f"attack.py: unknown attack(s) to skip: {' '.join(sorted(unknown))} (have: {' '.join(attacks)})")
threads = [
    threading.Thread(target=target, args=args)
    for name, (target, args) in attacks.items()
    if name not in SKIP
]
for t in threads:
    t.daemon = True
    t.start()
for t in threads:
    t.join(timeout=max(0.0, DEADLINE - time.monotonic()) + TIMEOUT + 5)
with lock:
    json.dump(stats, open(OUT, "w"), indent=1, sort_keys=True)
