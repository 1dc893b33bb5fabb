#!/usr/bin/env python3
"""Reads the bytes a generated Go topic binding wrote (`Topic.Encode`) with
the real Confluent Python client, against a schema registry (`schemactl
serve`), to prove the binding's wire format and schema id are what
Confluent's clients expect.

  go_binding_interop.py --registry URL --descriptor-set FDS.binpb --topic TOPIC \
      --message FULL.NAME --in BYTES --json JSONFILE

FDS is a FileDescriptorSet with imports (protoc --include_imports
--descriptor_set_out); the message class is built from it. BYTES is what
Encode wrote; JSONFILE is the same message in proto3 JSON (Go's protojson).
The bytes are deserialized with ProtobufDeserializer (with a registry
client, so the schema is fetched by the id in the header) and must equal
the message of JSONFILE. Prints a one-line JSON summary with the header's
schema id and message indexes; exits 1 naming the failed step otherwise.
Needs confluent-kafka[protobuf,schemaregistry] (tests/clients/requirements.txt).
"""

import argparse
import json
import sys
import traceback

from google.protobuf import json_format

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from confluent_roundtrip import Failure, fail, load_message_class, parse_header, to_json

PROG = "go_binding_interop"


def run(args):
    msg_class = load_message_class(args.descriptor_set, args.message)
    want = msg_class()
    with open(args.json) as f:
        try:
            json_format.Parse(f.read(), want)
        except json_format.ParseError as e:
            fail("json", f"{args.json} does not parse as {args.message}: {e}")
    with open(args.input, "rb") as f:
        data = f.read()
    schema_id, indexes, payload = parse_header(data)

    client = SchemaRegistryClient({"url": args.registry.rstrip("/"), "max.retries": 0})
    ctx = SerializationContext(args.topic, MessageField.VALUE)
    try:
        got = ProtobufDeserializer(msg_class, {}, client)(data, ctx)
    except Exception as e:
        fail("deserialize", f"{type(e).__name__}: {e}")
    if got != want:
        fail("deserialize", f"decoded message differs\n  got:  {to_json(got)}\n  want: {to_json(want)}")
    return {
        "ok": True,
        "schema_id": schema_id,
        "message_indexes": indexes,
        "payload_bytes": len(payload),
        "decoded": to_json(got),
    }


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", required=True, help="registry base URL")
    ap.add_argument("--descriptor-set", required=True, help="FileDescriptorSet with imports")
    ap.add_argument("--topic", required=True, help="topic; the subject is TOPIC-value")
    ap.add_argument("--message", required=True, help="full message name")
    ap.add_argument("--in", dest="input", required=True, help="the Confluent-framed bytes Encode wrote")
    ap.add_argument("--json", required=True, help="the same message in proto3 JSON")
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
