#!/usr/bin/env python3
"""Round-trips one message through the real Confluent Python client against a
schema registry (`schemactl serve`), to prove the registry speaks enough of the
Confluent REST API for that client to work unchanged.

  confluent_roundtrip.py --registry URL --descriptor-set FDS.binpb --topic TOPIC \
      --message FULL.NAME --json JSONFILE --out OUTFILE

FDS is a FileDescriptorSet with imports (protoc --include_imports
--descriptor_set_out). The message class is built from it, filled from the
proto3-JSON file, and then:

  1. serialized with ProtobufSerializer {'auto.register.schemas': False,
     'use.latest.version': True}; the Confluent header must carry the `id` of
     GET /subjects/TOPIC-value/versions/latest and the message-index path of
     the message in its file, followed by the message's own bytes;
  2. deserialized with ProtobufDeserializer (with a registry client) in its
     default config and with {'use.latest.version': True}; both must equal
     the original message;
  3. serialized again with {'auto.register.schemas': False} only (the lookup
     path: POST /subjects/<import> per import, then POST /subjects/TOPIC-value);
     it must give the same schema id and the same bytes.

The bytes of step 1 are written to OUTFILE (for kafkajs_decode.cjs). Prints a
one-line JSON summary; exits 1 with a message naming the failed step on any
mismatch or client error. Needs confluent-kafka[protobuf,schemaregistry]
(tests/clients/requirements.txt).
"""

import argparse
import io
import json
import struct
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

PROG = "confluent_roundtrip"


class Failure(Exception):
    pass


def fail(step, msg):
    raise Failure(f"{step}: {msg}")


def load_message_class(fds_path, full_name):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(fds_path, "rb") as f:
        fds.ParseFromString(f.read())
    files = {f.name: f for f in fds.file}
    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name, stack=()):
        # Dependencies first, whatever order the set lists the files in.
        if name in added:
            return
        if name not in files:
            fail("descriptor-set", f"{name} is imported but not in {fds_path} (use --include_imports)")
        if name in stack:
            fail("descriptor-set", f"import cycle through {name}")
        for dep in files[name].dependency:
            add(dep, stack + (name,))
        pool.Add(files[name])
        added.add(name)

    for name in files:
        add(name)
    try:
        desc = pool.FindMessageTypeByName(full_name)
    except KeyError:
        fail("descriptor-set", f"message {full_name} not found in {fds_path}")
    return message_factory.GetMessageClass(desc)


def expected_index_path(desc):
    """Message-index path of desc in its file (Confluent framing), computed
    from the descriptor: top-level position, then nested positions."""
    path = []
    while desc.containing_type is not None:
        parent = desc.containing_type
        path.append(list(parent.nested_types).index(desc))
        desc = parent
    fdp = descriptor_pb2.FileDescriptorProto()
    desc.file.CopyToProto(fdp)
    path.append([m.name for m in fdp.message_type].index(desc.name))
    return list(reversed(path))


def read_zigzag_varint(buf):
    shift = value = 0
    while True:
        b = buf.read(1)
        if not b:
            raise ValueError("truncated varint")
        value |= (b[0] & 0x7F) << shift
        shift += 7
        if not b[0] & 0x80:
            return (value >> 1) ^ -(value & 1)


def parse_header(data):
    """Returns (schema_id, message_indexes, payload) of Confluent-framed bytes."""
    if len(data) < 6:
        fail("wire", f"only {len(data)} bytes")
    if data[0] != 0:
        fail("wire", f"magic byte {data[0]}, expected 0")
    schema_id = struct.unpack(">I", data[1:5])[0]
    buf = io.BytesIO(data[5:])
    n = read_zigzag_varint(buf)
    indexes = [0] if n == 0 else [read_zigzag_varint(buf) for _ in range(n)]
    return schema_id, indexes, buf.read()


def get_json(url):
    req = urllib.request.Request(url, headers={"Accept": "application/vnd.schemaregistry.v1+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as e:
        fail("latest", f"GET {url}: HTTP {e.code}: {e.read()[:500]!r}")


def to_json(msg):
    return json_format.MessageToJson(msg, preserving_proto_field_name=True, indent=None, sort_keys=True)


def run(args):
    registry = args.registry.rstrip("/")
    subject = f"{args.topic}-value"
    msg_class = load_message_class(args.descriptor_set, args.message)
    original = msg_class()
    with open(args.json) as f:
        try:
            json_format.Parse(f.read(), original)
        except json_format.ParseError as e:
            fail("json", f"{args.json} does not parse as {args.message}: {e}")
    ctx = SerializationContext(args.topic, MessageField.VALUE)

    def client():
        # A fresh client per step, so that no step is served from another's cache.
        return SchemaRegistryClient({"url": registry, "max.retries": 0})

    step = "serialize use.latest.version"
    try:
        data = ProtobufSerializer(
            msg_class, client(), {"auto.register.schemas": False, "use.latest.version": True}
        )(original, ctx)
    except Exception as e:
        fail(step, f"{type(e).__name__}: {e}")
    schema_id, indexes, payload = parse_header(data)

    latest = get_json(f"{registry}/subjects/{urllib.parse.quote(subject, safe='')}/versions/latest")
    if not isinstance(latest.get("id"), int):
        fail("latest", f"no integer id in {json.dumps(latest)[:300]}")
    if schema_id != latest["id"]:
        fail(step, f"header schema id {schema_id} != id {latest['id']} of {subject} latest")
    want_indexes = expected_index_path(msg_class.DESCRIPTOR)
    if indexes != want_indexes:
        fail(step, f"message indexes {indexes} != {want_indexes}")
    if payload != original.SerializeToString():
        fail(step, "payload after the header is not the message's own serialization")

    decoded = {}
    for name, conf in (("default", {}), ("use.latest.version", {"use.latest.version": True})):
        step = f"deserialize {name}"
        try:
            got = ProtobufDeserializer(msg_class, conf, client())(data, ctx)
        except Exception as e:
            fail(step, f"{type(e).__name__}: {e}")
        if got != original:
            fail(step, f"decoded message differs\n  got:  {to_json(got)}\n  want: {to_json(original)}")
        decoded[name] = True

    step = "serialize lookup"
    try:
        data2 = ProtobufSerializer(msg_class, client(), {"auto.register.schemas": False})(original, ctx)
    except Exception as e:
        fail(step, f"{type(e).__name__}: {e}")
    schema_id2, _, _ = parse_header(data2)
    if schema_id2 != schema_id:
        fail(step, f"lookup gave schema id {schema_id2}, use.latest.version gave {schema_id}")
    if data2 != data:
        fail(step, "lookup-path bytes differ from use.latest.version bytes")

    with open(args.out, "wb") as f:
        f.write(data)
    return {
        "ok": True,
        "subject": subject,
        "schema_id": schema_id,
        "version": latest.get("version"),
        "message": args.message,
        "message_indexes": indexes,
        "bytes": len(data),
        "deserialized": sorted(decoded),
        "out": args.out,
    }


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", required=True, help="registry base URL")
    ap.add_argument("--descriptor-set", required=True, help="FileDescriptorSet with imports")
    ap.add_argument("--topic", required=True, help="topic; the subject is TOPIC-value")
    ap.add_argument("--message", required=True, help="full message name, e.g. acme.billing.v1.PaymentCaptured")
    ap.add_argument("--json", required=True, help="the message in proto3 JSON")
    ap.add_argument("--out", required=True, help="where to write the Confluent-framed bytes")
    args = ap.parse_args()
    try:
        summary = run(args)
    except Failure as e:
        print(f"{PROG}: FAIL {e}", file=sys.stderr)
        sys.exit(1)
    except Exception:
        print(f"{PROG}: ERROR", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
