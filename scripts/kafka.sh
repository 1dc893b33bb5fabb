#!/usr/bin/env bash
# Install Apache Kafka (the broker and its tools) from Maven Central's
# `org.apache.kafka` artifacts: every jar the broker needs, in one directory.
#
#   scripts/kafka.sh DEST
#
# Fills DEST/libs with kafka_2.13, kafka-tools and their dependencies, then
# writes DEST/version (marks a finished install). The Kafka tests
# (crates/schemactl/tests/cli/kafka*.rs, SCHEMACTL_KAFKA_LIBS=DEST/libs)
# start a single-node KRaft broker from it with `java -cp 'DEST/libs/*'
# kafka.Kafka`. Idempotent: nothing is done when DEST/version names the
# pinned version. Needs `mvn` and Java 17 or newer.
set -euo pipefail

KAFKA_VERSION=4.4.0
LOG4J_VERSION=2.25.5
STAMP="kafka $KAFKA_VERSION, log4j-slf4j-impl $LOG4J_VERSION"

log() { printf 'kafka.sh: %s\n' "$*" >&2; }

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 DEST" >&2
	exit 2
fi
dest=$1
if [[ $(cat "$dest/version" 2>/dev/null) == "$STAMP" ]]; then
	exit 0
fi
for tool in mvn java; do
	if ! command -v "$tool" >/dev/null; then
		log "missing: $tool (Java 17 and Maven), to run the Kafka broker of the tests"
		exit 2
	fi
done
log "installing Apache Kafka $KAFKA_VERSION from Maven Central into $dest"
rm -rf "$dest"
mkdir -p "$dest/libs"
cat >"$dest/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.schemactl.test</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- The broker logs through SLF4J 1.7: this binds it to the log4j 2 it ships. -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
# Maven prints its errors on stdout, and colour codes even with -q.
if ! out=$(cd "$dest" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=libs 2>&1); then
	printf '%s\n' "$out" >&2
	exit 2
fi
ls "$dest/libs/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null
echo "$STAMP" >"$dest/version"
