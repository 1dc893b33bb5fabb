#!/usr/bin/env python3
"""Consume records from a Kafka topic with the real confluent-kafka Consumer
and deserialize them with `ProtobufDeserializer` against a schema registry
(`schemactl serve`), the way a Python service reads a topic.

  kafka_consume.py --bootstrap HOST:PORT --user USER --password PASSWORD \
      --topic TOPIC --registry URL --descriptor-set FDS.binpb \
      --message FULL.NAME [--count N] [--timeout SECONDS]

SASL/PLAIN over plaintext. The consumer joins a fresh group (so it reads
from the earliest offset): USER needs READ on the topic and on the group
(or be a super user). FDS is a FileDescriptorSet with imports (protoc
--include_imports --descriptor_set_out); the message class is built from
it. The deserializer fetches the schema by the id in each record's header.

Prints one JSON line per record read:
  {"partition": P, "offset": O, "schema_id": ID, "message_indexes": [...],
   "message": {proto3 JSON, as Go's protojson writes it}}
and exits 0 once N records are read; exits 1 naming the failed step
(a record that does not deserialize, or fewer than N records in time).
Used by crates/schemactl/tests/cli/kafka_e2e.rs.
"""

import argparse
import json
import sys
import time
import traceback
import uuid

from google.protobuf import json_format

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from confluent_roundtrip import Failure, fail, load_message_class, parse_header

PROG = "kafka_consume"


def run(args):
    msg_class = load_message_class(args.descriptor_set, args.message)
    client = SchemaRegistryClient({"url": args.registry.rstrip("/"), "max.retries": 0})
    deserializer = ProtobufDeserializer(msg_class, {}, client)
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanism": "PLAIN",
            "sasl.username": args.user,
            "sasl.password": args.password,
            "group.id": f"{PROG}-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([args.topic])
    ctx = SerializationContext(args.topic, MessageField.VALUE)
    read = 0
    deadline = time.monotonic() + args.timeout
    try:
        while read < args.count:
            if time.monotonic() > deadline:
                fail("consume", f"{read} of {args.count} records read from {args.topic} in {args.timeout} s")
            record = consumer.poll(1.0)
            if record is None:
                continue
            if record.error() is not None:
                fail("consume", f"{record.error().name()}: {record.error().str()}")
            data = record.value()
            schema_id, indexes, _ = parse_header(data)
            try:
                got = deserializer(data, ctx)
            except Exception as e:
                fail(
                    "deserialize",
                    f"partition {record.partition()} offset {record.offset()}: {type(e).__name__}: {e}",
                )
            line = {
                "partition": record.partition(),
                "offset": record.offset(),
                "schema_id": schema_id,
                "message_indexes": indexes,
                "message": json_format.MessageToDict(got),
            }
            print(json.dumps(line, sort_keys=True), flush=True)
            read += 1
    finally:
        consumer.close()


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", required=True, help="HOST:PORT of a broker")
    ap.add_argument("--user", required=True, help="SASL/PLAIN user")
    ap.add_argument("--password", required=True, help="SASL/PLAIN password")
    ap.add_argument("--topic", required=True, help="topic; the subject is TOPIC-value")
    ap.add_argument("--registry", required=True, help="registry base URL")
    ap.add_argument("--descriptor-set", required=True, help="FileDescriptorSet with imports")
    ap.add_argument("--message", required=True, help="full message name")
    ap.add_argument("--count", type=int, default=1, help="records to read")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for them")
    args = ap.parse_args()
    try:
        run(args)
    except Failure as e:
        print(f"{PROG}: FAIL {e}", file=sys.stderr)
        sys.exit(1)
    except Exception:
        print(f"{PROG}: ERROR", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)


if __name__ == "__main__":
    main()
