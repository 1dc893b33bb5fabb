"""The generated Python topic bindings against the real Confluent client.

  python_confluent.py --registry URL --root GEN_PYTHON

Run by crates/schemactl/tests/cli/generate_python.rs with the Python of the
registry clients' venv (confluent-kafka, and a newer protobuf runtime than
the generated distribution's pin), the generated tree on sys.path, and
`schemactl serve` on the tag the bindings were generated for:

  1. what a binding's ``encode`` writes, confluent-kafka's
     ProtobufDeserializer (with the registry) reads back equal;
  2. what ProtobufSerializer writes ({'auto.register.schemas': False,
     'use.latest.version': True}) is byte for byte what ``encode`` writes,
     and ``decode`` reads it back equal.

Prints "ok"; an assertion names what differs.
"""

import argparse
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--registry", required=True)
parser.add_argument("--root", required=True)
args = parser.parse_args()
sys.path.insert(0, args.root)

from confluent_kafka.schema_registry import SchemaRegistryClient  # noqa: E402
from confluent_kafka.schema_registry.protobuf import (  # noqa: E402
    ProtobufDeserializer,
    ProtobufSerializer,
)
from confluent_kafka.serialization import MessageField, SerializationContext  # noqa: E402

from acme.billing.v1 import invoice_pb2  # noqa: E402
from acme.identity.v1 import user_pb2  # noqa: E402
from acme_topics.topics import BILLING_INVOICE_ISSUED_V1, IDENTITY_USER_CREATED_V1  # noqa: E402

client = SchemaRegistryClient({"url": args.registry})
user = user_pb2.UserCreated(user_id="u-1", email="ada@example.com")
user.addresses.add(city="Lyon")
invoice = invoice_pb2.InvoiceIssued(invoice_id="i-1")
invoice.lines.add(sku="sku-1").amount.minor_units = 1250

for topic, msg in [(IDENTITY_USER_CREATED_V1, user), (BILLING_INVOICE_ISSUED_V1, invoice)]:
    ctx = SerializationContext(topic.name, MessageField.VALUE)
    ours = topic.encode(msg)
    deserializer = ProtobufDeserializer(
        topic.message_type, {"use.deprecated.format": False}, client
    )
    read = deserializer(ours, ctx)
    assert read == msg, (topic.name, "ProtobufDeserializer", read, msg)
    serializer = ProtobufSerializer(
        topic.message_type,
        client,
        {"auto.register.schemas": False, "use.latest.version": True, "use.deprecated.format": False},
    )
    theirs = serializer(msg, ctx)
    assert theirs == ours, (topic.name, "ProtobufSerializer", theirs[:12], ours[:12])
    assert topic.decode(theirs) == msg, (topic.name, "decode")

print("ok")
