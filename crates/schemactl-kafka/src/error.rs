//! Errors of the Kafka side: each names the broker, what failed and what to
//! do about it.

use std::time::Duration;

/// Why talking to the cluster failed.
#[derive(Debug, thiserror::Error)]
pub enum KafkaError {
    /// No TCP connection: the broker is down, the address is wrong, or a
    /// firewall is in the way.
    #[error("cannot connect to the Kafka broker at {addr}: {source}")]
    Unreachable {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// The broker did not answer in time.
    #[error("the Kafka broker at {addr} did not answer {what} within {}s", .timeout.as_secs())]
    Timeout {
        addr: String,
        what: String,
        timeout: Duration,
    },
    /// The connection broke in the middle of a request.
    #[error("the connection to the Kafka broker at {addr} failed during {what}: {source}")]
    Io {
        addr: String,
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// TLS could not be set up (bad CA file, bad server name).
    #[error("TLS to {addr}: {message}")]
    Tls { addr: String, message: String },
    /// The broker refused the credentials, or the mechanism.
    #[error("authentication to the Kafka broker at {addr} failed ({mechanism}): {message}")]
    Authentication {
        addr: String,
        mechanism: String,
        message: String,
    },
    /// The broker answered with an error code for one request or resource.
    #[error("{operation}: {code_name} (Kafka error {code}){}", message_suffix(.message))]
    Broker {
        operation: String,
        code: i16,
        code_name: String,
        message: Option<String>,
    },
    /// The broker's answer could not be read, or the broker does not speak
    /// a version of an API schemactl needs.
    #[error("the Kafka broker at {addr}: {message}")]
    Protocol { addr: String, message: String },
    /// `--command-config` or the connection options are wrong.
    #[error("{file}:{line}: {message}")]
    Config {
        file: String,
        line: usize,
        message: String,
    },
}

fn message_suffix(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": {m}"),
        _ => String::new(),
    }
}

impl KafkaError {
    /// What to do about it, where there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            KafkaError::Unreachable { .. } | KafkaError::Timeout { .. } => Some(
                "check that the broker runs and that --bootstrap-server names one of its \
                 listeners (HOST:PORT)"
                    .to_owned(),
            ),
            KafkaError::Io { .. } => Some(
                "a listener that needs SASL or TLS drops clients that do not use it: pass \
                 --command-config with security.protocol (and the credentials)"
                    .to_owned(),
            ),
            KafkaError::Authentication { .. } => Some(
                "check sasl.mechanism and the username and password in sasl.jaas.config of \
                 --command-config"
                    .to_owned(),
            ),
            KafkaError::Broker { code, .. } if is_authorization(*code) => Some(
                "schemactl's principal lacks a permission: docs/kafka.md lists the ACLs it needs"
                    .to_owned(),
            ),
            KafkaError::Tls { .. } => Some(
                "set ssl.truststore.location (PEM) or ssl.ca.location to the CA that signed the \
                 broker's certificate"
                    .to_owned(),
            ),
            _ => None,
        }
    }

    /// Whether this is the broker refusing an operation to the principal.
    pub fn is_authorization(&self) -> bool {
        matches!(self, KafkaError::Broker { code, .. } if is_authorization(*code))
    }
}

/// Kafka's authorization error codes (topic, group, cluster, transactional
/// id, delegation token).
pub fn is_authorization(code: i16) -> bool {
    matches!(code, 29 | 30 | 31 | 53 | 65)
}

/// Kafka's name for an error code (`TOPIC_AUTHORIZATION_FAILED`).
pub fn code_name(code: i16) -> String {
    match kafka_protocol::ResponseError::try_from_code(code) {
        Some(kafka_protocol::ResponseError::Unknown(_)) | None => format!("UNKNOWN_ERROR_{code}"),
        Some(e) => screaming_snake(&e.to_string()),
    }
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// An error answer from the broker, or `Ok` for code 0.
pub(crate) fn check_code(
    operation: impl FnOnce() -> String,
    code: i16,
    message: Option<&str>,
) -> Result<(), KafkaError> {
    if code == 0 {
        return Ok(());
    }
    Err(KafkaError::Broker {
        operation: operation(),
        code,
        code_name: code_name(code),
        message: message.map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_kafkas() {
        assert_eq!(code_name(29), "TOPIC_AUTHORIZATION_FAILED");
        assert_eq!(code_name(36), "TOPIC_ALREADY_EXISTS");
        assert_eq!(code_name(-2), "UNKNOWN_ERROR_-2");
    }
}
