//! How to reach the cluster: `--bootstrap-server` and Kafka's own
//! `--command-config` properties file (the one `kafka-topics.sh` and
//! `kafka-acls.sh` take), so an existing admin config works unchanged.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::KafkaError;

/// A SASL mechanism schemactl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Plain,
    ScramSha256,
    ScramSha512,
}

impl Mechanism {
    /// Kafka's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::ScramSha256 => "SCRAM-SHA-256",
            Mechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }
}

/// SASL credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Sasl {
    pub mechanism: Mechanism,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Sasl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sasl")
            .field("mechanism", &self.mechanism)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Everything needed to open connections to the cluster.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `HOST:PORT` of one or more brokers.
    pub bootstrap: Vec<String>,
    pub tls: bool,
    /// PEM file of the CA certificates to trust; the system's when absent.
    pub tls_ca: Option<PathBuf>,
    pub sasl: Option<Sasl>,
    pub client_id: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl ConnectOptions {
    /// Plaintext, no authentication, Kafka's default timeouts shortened to
    /// what an interactive tool should wait.
    pub fn new(bootstrap: &str) -> Result<ConnectOptions, KafkaError> {
        let mut servers = Vec::new();
        for server in bootstrap
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let valid = server
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
            if !valid {
                return Err(KafkaError::Config {
                    file: "--bootstrap-server".to_owned(),
                    line: 0,
                    message: format!("`{server}` is not HOST:PORT"),
                });
            }
            servers.push(server.to_owned());
        }
        if servers.is_empty() {
            return Err(KafkaError::Config {
                file: "--bootstrap-server".to_owned(),
                line: 0,
                message: "no broker given: write HOST:PORT[,HOST:PORT...]".to_owned(),
            });
        }
        Ok(ConnectOptions {
            bootstrap: servers,
            tls: false,
            tls_ca: None,
            sasl: None,
            client_id: "schemactl".to_owned(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        })
    }

    /// Applies a `--command-config` properties file. Returns the keys it
    /// ignored, as warnings.
    pub fn apply_properties(&mut self, path: &Path, text: &str) -> Result<Vec<String>, KafkaError> {
        let file = path.display().to_string();
        let props = parse_properties(text);
        let mut warnings = Vec::new();
        let mut protocol = None;
        let mut mechanism = None;
        let mut jaas = None;
        let mut username = None;
        let mut password = None;
        let mut truststore_type = None;
        for prop in &props {
            let error = |message: String| KafkaError::Config {
                file: file.clone(),
                line: prop.line,
                message,
            };
            let millis = || {
                prop.value
                    .parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| error(format!("`{}` must be a number of milliseconds", prop.key)))
            };
            match prop.key.as_str() {
                "security.protocol" => {
                    protocol = Some((prop.value.to_ascii_uppercase(), prop.line))
                }
                "sasl.mechanism" | "sasl.mechanisms" => {
                    mechanism = Some(match prop.value.to_ascii_uppercase().as_str() {
                        "PLAIN" => Mechanism::Plain,
                        "SCRAM-SHA-256" => Mechanism::ScramSha256,
                        "SCRAM-SHA-512" => Mechanism::ScramSha512,
                        other => {
                            return Err(error(format!(
                                "sasl.mechanism `{other}` is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"
                            )));
                        }
                    })
                }
                "sasl.jaas.config" => jaas = Some((prop.value.clone(), prop.line)),
                "sasl.username" => username = Some(prop.value.clone()),
                "sasl.password" => password = Some(prop.value.clone()),
                "ssl.truststore.type" => {
                    truststore_type = Some((prop.value.to_ascii_uppercase(), prop.line))
                }
                "ssl.truststore.location" | "ssl.ca.location" => {
                    let p = PathBuf::from(&prop.value);
                    self.tls_ca = Some(if p.is_relative() {
                        path.parent().unwrap_or(Path::new(".")).join(p)
                    } else {
                        p
                    });
                }
                "client.id" => self.client_id = prop.value.clone(),
                "request.timeout.ms" | "default.api.timeout.ms" => self.request_timeout = millis()?,
                "socket.connection.setup.timeout.ms" | "socket.connection.setup.timeout.max.ms" => {
                    self.connect_timeout = millis()?
                }
                "bootstrap.servers" => {
                    warnings.push(format!(
                        "{file}:{}: bootstrap.servers is ignored: --bootstrap-server names the brokers",
                        prop.line
                    ));
                }
                "ssl.endpoint.identification.algorithm" => {
                    if !prop.value.is_empty() && !prop.value.eq_ignore_ascii_case("https") {
                        return Err(error(format!(
                            "ssl.endpoint.identification.algorithm `{}` is not supported: schemactl always checks the broker's host name",
                            prop.value
                        )));
                    }
                    if prop.value.is_empty() {
                        return Err(error(
                            "turning host name verification off is not supported: give the broker a certificate for its name".to_owned(),
                        ));
                    }
                }
                other => warnings.push(format!(
                    "{file}:{}: `{other}` is ignored by schemactl",
                    prop.line
                )),
            }
        }
        if let Some((ty, line)) = truststore_type
            && ty != "PEM"
        {
            return Err(KafkaError::Config {
                file: file.clone(),
                line,
                message: format!(
                    "ssl.truststore.type `{ty}` is not supported: convert the truststore to PEM (keytool -exportcert -rfc) and set ssl.truststore.type=PEM"
                ),
            });
        }
        let (protocol, protocol_line) = protocol.unwrap_or(("PLAINTEXT".to_owned(), 0));
        let (tls, sasl) = match protocol.as_str() {
            "PLAINTEXT" => (false, false),
            "SSL" => (true, false),
            "SASL_PLAINTEXT" => (false, true),
            "SASL_SSL" => (true, true),
            other => {
                return Err(KafkaError::Config {
                    file,
                    line: protocol_line,
                    message: format!(
                        "security.protocol `{other}` is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL"
                    ),
                });
            }
        };
        self.tls = tls;
        if sasl {
            let mechanism = mechanism.unwrap_or(Mechanism::Plain);
            if let Some((jaas, line)) = &jaas {
                let (u, p) = parse_jaas(jaas).map_err(|message| KafkaError::Config {
                    file: file.clone(),
                    line: *line,
                    message,
                })?;
                username = username.or(u);
                password = password.or(p);
            }
            let (Some(username), Some(password)) = (username, password) else {
                return Err(KafkaError::Config {
                    file,
                    line: protocol_line,
                    message: format!(
                        "{protocol} needs a username and password: set sasl.jaas.config (... required username=\"NAME\" password=\"SECRET\";)"
                    ),
                });
            };
            self.sasl = Some(Sasl {
                mechanism,
                username,
                password,
            });
        }
        Ok(warnings)
    }
}

/// One `key=value` of a properties file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Property {
    key: String,
    value: String,
    line: usize,
}

/// Java's `.properties` format: `#`/`!` comments, `=`, `:` or blank as the
/// separator, `\` at the end of a line continues it, `\` escapes.
fn parse_properties(text: &str) -> Vec<Property> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        let mut logical = String::new();
        let mut current = trimmed.to_owned();
        loop {
            let backslashes = current.chars().rev().take_while(|&c| c == '\\').count();
            if backslashes % 2 == 1 {
                current.pop();
                logical.push_str(&current);
                match lines.next() {
                    Some((_, next)) => current = next.trim_start().to_owned(),
                    None => break,
                }
            } else {
                logical.push_str(&current);
                break;
            }
        }
        let mut key = String::new();
        let mut chars = logical.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        key.push(n);
                    }
                }
                '=' | ':' => break,
                c if c.is_whitespace() => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    if matches!(chars.peek(), Some('=' | ':')) {
                        chars.next();
                    }
                    break;
                }
                c => key.push(c),
            }
        }
        let rest: String = chars.collect();
        let mut value = String::new();
        let mut rest = rest.trim_start().chars();
        while let Some(c) = rest.next() {
            if c == '\\' {
                match rest.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(n) => value.push(n),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        out.push(Property {
            key,
            value: value.trim_end().to_owned(),
            line: index + 1,
        });
    }
    out
}

/// `username` and `password` of a `sasl.jaas.config` login module line.
fn parse_jaas(text: &str) -> Result<(Option<String>, Option<String>), String> {
    let known = [
        "org.apache.kafka.common.security.plain.PlainLoginModule",
        "org.apache.kafka.common.security.scram.ScramLoginModule",
    ];
    let text = text.trim();
    let Some(module) = known.iter().find(|m| text.starts_with(*m)) else {
        return Err(format!(
            "sasl.jaas.config must use PlainLoginModule or ScramLoginModule, found `{}`",
            text.split_whitespace().next().unwrap_or("")
        ));
    };
    let mut rest = text[module.len()..].trim_start();
    for flag in ["required", "requisite", "sufficient", "optional"] {
        if let Some(r) = rest.strip_prefix(flag) {
            rest = r;
            break;
        }
    }
    let mut username = None;
    let mut password = None;
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some(';') => break,
            _ => {}
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            name.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!("sasl.jaas.config: expected `=` after `{name}`"));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(format!(
                    "sasl.jaas.config: the value of `{name}` has no closing quote"
                ));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == ';' {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        match name.as_str() {
            "username" => username = Some(value),
            "password" => password = Some(value),
            _ => {}
        }
    }
    Ok((username, password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_admin_client_properties_file() {
        let text = "# admin\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism = SCRAM-SHA-512\n\
                    sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n  \
                    username=\"admin\" password=\"p@ss=word\";\nrequest.timeout.ms: 5000\nlinger.ms=5\n";
        let mut options = ConnectOptions::new("127.0.0.1:9092").expect("valid");
        let warnings = options
            .apply_properties(Path::new("/etc/kafka/admin.properties"), text)
            .expect("valid");
        let sasl = options.sasl.expect("sasl");
        assert_eq!(sasl.mechanism, Mechanism::ScramSha512);
        assert_eq!(sasl.username, "admin");
        assert_eq!(sasl.password, "p@ss=word");
        assert_eq!(
            parse_jaas(
                r#"org.apache.kafka.common.security.plain.PlainLoginModule required username=u password="a\"b";"#
            ),
            Ok((Some("u".to_owned()), Some("a\"b".to_owned())))
        );
        assert_eq!(options.request_timeout, Duration::from_secs(5));
        assert!(!options.tls);
        assert_eq!(
            warnings,
            ["/etc/kafka/admin.properties:7: `linger.ms` is ignored by schemactl"]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let mut options = ConnectOptions::new("b:9092").expect("valid");
        let err = options
            .apply_properties(
                Path::new("a.properties"),
                "\nsecurity.protocol=SASL_PLAINTEXT\n",
            )
            .expect_err("no credentials");
        assert!(
            err.to_string()
                .starts_with("a.properties:2: SASL_PLAINTEXT needs a username"),
            "{err}"
        );
        let err = options
            .apply_properties(Path::new("a.properties"), "ssl.truststore.type=JKS\n")
            .expect_err("jks");
        assert!(
            err.to_string()
                .contains("a.properties:1: ssl.truststore.type `JKS`"),
            "{err}"
        );
        assert!(ConnectOptions::new("localhost").is_err());
        assert!(ConnectOptions::new(" , ").is_err());
    }
}
