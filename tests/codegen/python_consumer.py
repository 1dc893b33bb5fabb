"""A consumer of the Python distribution `schemactl generate` writes.

Run by crates/schemactl/tests/cli/generate_python.rs with the Python of a
fresh venv where only the built wheel and its dependencies are installed:
the modules import from the wheel, a message round-trips through its topic's
binding in the Confluent wire format, and every misuse fails at once.
"""

import sys

import acme_topics.topics as topics
from acme.billing.v1 import invoice_pb2
from acme.identity.v1 import user_pb2
from acme_topics.topics import (
    BILLING_INVOICE_ISSUED_V1,
    IDENTITY_USER_CREATED_V1,
    Topic,
    WireFormatError,
)


def refused(error, call, *words):
    try:
        call()
    except error as e:
        for word in words:
            assert word in str(e), (word, str(e))
        return
    raise AssertionError("no %s from %r" % (error.__name__, call))


# Installed from the wheel, not read from the generated tree.
assert "site-packages" in topics.__file__, topics.__file__
assert "site-packages" in user_pb2.__file__, user_pb2.__file__

user = user_pb2.UserCreated(user_id="u-1", email="ada@example.com")
user.addresses.add(city="Lyon")
record = IDENTITY_USER_CREATED_V1.encode(user)
schema_id = IDENTITY_USER_CREATED_V1.schema_id
# Magic byte, big-endian id, and message indexes [0] as the single byte 0.
assert record[:6] == b"\x00" + schema_id.to_bytes(4, "big") + b"\x00", record[:6]
assert record[6:] == user.SerializeToString()
back = IDENTITY_USER_CREATED_V1.decode(record)
assert type(back) is user_pb2.UserCreated and back == user, back
assert IDENTITY_USER_CREATED_V1.name == "identity.user-created.v1"
assert IDENTITY_USER_CREATED_V1.message_type is user_pb2.UserCreated
assert IDENTITY_USER_CREATED_V1.version == 2
# The record of a producer still on the first version (released without
# the addresses) reads too: its id is one of the topic's.
(old_id,) = IDENTITY_USER_CREATED_V1.schema_ids - {schema_id}
old_user = user_pb2.UserCreated(user_id="u-0")
old_record = b"\x00" + old_id.to_bytes(4, "big") + b"\x00" + old_user.SerializeToString()
assert IDENTITY_USER_CREATED_V1.decode(old_record) == old_user

# InvoiceIssued is the second message of its file: indexes [1] are written
# as a count and an index, both zigzag varints (2, 2).
invoice = invoice_pb2.InvoiceIssued(invoice_id="i-1")
invoice_record = BILLING_INVOICE_ISSUED_V1.encode(invoice)
invoice_id = BILLING_INVOICE_ISSUED_V1.schema_id
assert invoice_record[:7] == b"\x00" + invoice_id.to_bytes(4, "big") + b"\x02\x02", invoice_record[:7]
assert BILLING_INVOICE_ISSUED_V1.decode(invoice_record) == invoice
assert invoice_id != schema_id

# The wrong message, a subclass-free lookalike, and no message at all.
refused(TypeError, lambda: IDENTITY_USER_CREATED_V1.encode(invoice),
        "identity.user-created.v1", "acme.identity.v1.UserCreated", "acme.billing.v1.InvoiceIssued")
refused(TypeError, lambda: IDENTITY_USER_CREATED_V1.encode(b"raw"), "builtins.bytes")
refused(TypeError, lambda: Topic("identity.user-created.v1", invoice_pb2.InvoiceIssued), "generated")
refused(TypeError, lambda: IDENTITY_USER_CREATED_V1.decode(6), "builtins.int")
assert IDENTITY_USER_CREATED_V1.decode(memoryview(record)) == user

# Records that are not the topic's.
refused(WireFormatError, lambda: IDENTITY_USER_CREATED_V1.decode(b"\x01" + record[1:]), "magic byte")
refused(WireFormatError, lambda: IDENTITY_USER_CREATED_V1.decode(record[:5]), "5 bytes")
refused(WireFormatError, lambda: IDENTITY_USER_CREATED_V1.decode(invoice_record),
        "schema id %d" % invoice_id, "not a version")
refused(WireFormatError,
        lambda: IDENTITY_USER_CREATED_V1.decode(record[:5] + b"\x02\x02" + record[6:]),
        "message indexes [1]", "[0]")
refused(WireFormatError, lambda: IDENTITY_USER_CREATED_V1.decode(record[:5] + b"\x02"), "ends inside")
# [0] written in full (a count of 1, then 0), as some clients do, reads too.
assert IDENTITY_USER_CREATED_V1.decode(record[:5] + b"\x02\x00" + record[6:]) == user
assert isinstance(WireFormatError("x"), ValueError)

print("ok", schema_id, old_id, invoice_id)
sys.exit(0)
