"""Produce one record to a Kafka topic with the real confluent-kafka
Producer, as a SASL/PLAIN user, and report what the broker said.

    kafka_produce.py BOOTSTRAP USER PASSWORD TOPIC VALUE_HEX

Prints `delivered PARTITION OFFSET` and exits 0, or prints the Kafka error
name (e.g. `TOPIC_AUTHORIZATION_FAILED`) and exits 3. Used by
crates/schemactl/tests/cli/kafka.rs: a producer the catalog grants WRITE
gets its record in; any other is refused by the broker.
"""

import sys

from confluent_kafka import KafkaException, Producer


def main() -> int:
    bootstrap, user, password, topic, value_hex = sys.argv[1:6]
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanism": "PLAIN",
            "sasl.username": user,
            "sasl.password": password,
            "message.timeout.ms": 15000,
            "enable.idempotence": False,
        }
    )
    result = {}

    def delivered(err, msg):
        if err is not None:
            result["error"] = err.name()
        else:
            result["ok"] = (msg.partition(), msg.offset())

    try:
        producer.produce(topic, value=bytes.fromhex(value_hex), key=b"k", on_delivery=delivered)
    except KafkaException as e:
        print(e.args[0].name())
        return 3
    producer.flush(20)
    if "ok" in result:
        print("delivered %d %d" % result["ok"])
        return 0
    print(result.get("error", "NO_DELIVERY_REPORT"))
    return 3


if __name__ == "__main__":
    sys.exit(main())
