//! schemactl's Kafka side: the catalog of `schemactl.yaml` applied to a
//! cluster, and what flows through a topic checked against its one type.
//!
//! - [`options`]: `--bootstrap-server` and Kafka's `--command-config`
//!   properties (SASL/PLAIN, SCRAM, TLS).
//! - [`conn`]: one connection to one broker (std sockets with timeouts,
//!   rustls, SASL, API version negotiation). Messages are encoded and
//!   decoded by the `kafka-protocol` crate; no wire encoding lives here.
//! - [`admin`]: the cluster operations schemactl needs (metadata, topic
//!   configs, topics, partitions, ACLs, fetching records).
//! - [`model`] and [`plan`]: what the catalog wants (topics, configs, ACLs)
//!   and its difference from what the cluster has; pure and tested without
//!   a broker.
//! - [`export`]: the wanted state as Strimzi resources or JSON.
//! - [`records`]: record batches decoded with bounded decompression.
//! - [`audit`]: classifies records against a topic's schema versions.
//!
//! Everything is blocking: an admin tool sends a few requests in order, and
//! no async runtime is needed for that.

pub mod admin;
pub mod audit;
pub mod conn;
pub mod error;
pub mod export;
pub mod model;
pub mod options;
pub mod plan;
pub mod records;
mod scram;

pub use error::KafkaError;
pub use options::ConnectOptions;
