//! One connection to one broker: TCP (or TLS with rustls), SASL, API
//! version negotiation, and request/response framing. The messages
//! themselves are encoded and decoded by the `kafka-protocol` crate.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, BufMut, BytesMut};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader,
    SaslAuthenticateRequest, SaslHandshakeRequest,
};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};

use crate::error::{KafkaError, code_name};
use crate::options::{ConnectOptions, Mechanism};
use crate::scram;

/// The largest response schemactl reads (a fetch asks for less).
const MAX_RESPONSE_BYTES: usize = 64 << 20;

enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// An authenticated connection to one broker.
pub struct Connection {
    addr: String,
    stream: Stream,
    correlation_id: i32,
    /// The broker's supported versions, by API key.
    versions: BTreeMap<i16, (i16, i16)>,
    client_id: StrBytes,
    timeout: Duration,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Connection {
    /// Connects to `addr` (`HOST:PORT`), sets up TLS and SASL as the options
    /// say, and learns the broker's API versions.
    pub fn open(addr: &str, options: &ConnectOptions) -> Result<Connection, KafkaError> {
        let tcp = connect_tcp(addr, options.connect_timeout)?;
        let _ = tcp.set_nodelay(true);
        let stream = if options.tls {
            Stream::Tls(Box::new(tls_stream(addr, tcp, options)?))
        } else {
            Stream::Plain(tcp)
        };
        let mut conn = Connection {
            addr: addr.to_owned(),
            stream,
            correlation_id: 0,
            versions: BTreeMap::new(),
            client_id: StrBytes::from_string(options.client_id.clone()),
            timeout: options.request_timeout,
        };
        conn.negotiate_versions()?;
        if let Some(sasl) = &options.sasl {
            conn.authenticate(sasl.mechanism, &sasl.username, &sasl.password)?;
        }
        Ok(conn)
    }

    /// Whether the broker offers the API with this key.
    pub fn supports(&self, key: i16) -> bool {
        self.versions.contains_key(&key)
    }

    /// The broker's address, as given.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    fn negotiate_versions(&mut self) -> Result<(), KafkaError> {
        let mut request = ApiVersionsRequest::default();
        request.client_software_name = StrBytes::from_static_str("schemactl");
        request.client_software_version = StrBytes::from_static_str(env!("CARGO_PKG_VERSION"));
        let response: ApiVersionsResponse =
            self.exchange(ApiKey::ApiVersions as i16, 3, &request, "ApiVersions")?;
        if response.error_code != 0 {
            return Err(self.protocol(format!(
                "the broker refused ApiVersions v3 ({}): schemactl needs Kafka 2.4 or newer",
                code_name(response.error_code)
            )));
        }
        self.versions = response
            .api_keys
            .iter()
            .map(|k| (k.api_key, (k.min_version, k.max_version)))
            .collect();
        Ok(())
    }

    fn authenticate(
        &mut self,
        mechanism: Mechanism,
        username: &str,
        password: &str,
    ) -> Result<(), KafkaError> {
        let mut handshake = SaslHandshakeRequest::default();
        handshake.mechanism = StrBytes::from_static_str(mechanism.name());
        let response = self.send(&handshake, "SaslHandshake")?;
        if response.error_code != 0 {
            let enabled: Vec<&str> = response.mechanisms.iter().map(|m| m.as_str()).collect();
            return Err(KafkaError::Authentication {
                addr: self.addr.clone(),
                mechanism: mechanism.name().to_owned(),
                message: format!(
                    "the listener does not enable {}; it enables {}",
                    mechanism.name(),
                    if enabled.is_empty() {
                        "no SASL mechanism (is it a SASL listener?)".to_owned()
                    } else {
                        enabled.join(", ")
                    }
                ),
            });
        }
        match mechanism {
            Mechanism::Plain => {
                let mut token = Vec::with_capacity(username.len() + password.len() + 2);
                token.push(0);
                token.extend_from_slice(username.as_bytes());
                token.push(0);
                token.extend_from_slice(password.as_bytes());
                self.sasl_step(mechanism, token)?;
            }
            Mechanism::ScramSha256 | Mechanism::ScramSha512 => {
                let mut client = scram::Client::new(mechanism, username, password)
                    .map_err(|message| self.auth_error(mechanism, message))?;
                let server_first = self.sasl_step(mechanism, client.first().into_bytes())?;
                let client_final = client
                    .on_server_first(&server_first)
                    .map_err(|message| self.auth_error(mechanism, message))?;
                let server_final = self.sasl_step(mechanism, client_final.into_bytes())?;
                client
                    .on_server_final(&server_final)
                    .map_err(|message| self.auth_error(mechanism, message))?;
            }
        }
        Ok(())
    }

    fn auth_error(&self, mechanism: Mechanism, message: String) -> KafkaError {
        KafkaError::Authentication {
            addr: self.addr.clone(),
            mechanism: mechanism.name().to_owned(),
            message,
        }
    }

    fn sasl_step(&mut self, mechanism: Mechanism, token: Vec<u8>) -> Result<Vec<u8>, KafkaError> {
        let mut request = SaslAuthenticateRequest::default();
        request.auth_bytes = token.into();
        let response = self.send(&request, "SaslAuthenticate")?;
        if response.error_code != 0 {
            let message = response
                .error_message
                .as_ref()
                .map(|m| m.to_string())
                .unwrap_or_else(|| code_name(response.error_code));
            return Err(self.auth_error(mechanism, message));
        }
        Ok(response.auth_bytes.to_vec())
    }

    /// The version of `R` to use: the highest both sides speak, at most
    /// `cap` when the caller needs an older shape.
    pub fn version<R: Request>(&self, cap: Option<i16>) -> Result<i16, KafkaError> {
        let Some(&(min, max)) = self.versions.get(&R::KEY) else {
            return Err(self.protocol(format!(
                "the broker does not offer the {} API",
                api_name(R::KEY)
            )));
        };
        let ours = R::VERSIONS;
        let top = max.min(ours.max).min(cap.unwrap_or(i16::MAX));
        if top < min.max(ours.min) {
            return Err(self.protocol(format!(
                "no version of the {} API in common (broker {min}..{max}, schemactl {}..{})",
                api_name(R::KEY),
                ours.min,
                ours.max
            )));
        }
        Ok(top)
    }

    /// Sends a request at the highest common version and reads its answer.
    pub fn send<R: Request>(&mut self, request: &R, what: &str) -> Result<R::Response, KafkaError> {
        let version = self.version::<R>(None)?;
        self.send_version(request, version, what)
    }

    /// Sends a request at `version`.
    pub fn send_version<R: Request>(
        &mut self,
        request: &R,
        version: i16,
        what: &str,
    ) -> Result<R::Response, KafkaError> {
        self.exchange(R::KEY, version, request, what)
    }

    fn exchange<Q, A>(
        &mut self,
        key: i16,
        version: i16,
        request: &Q,
        what: &str,
    ) -> Result<A, KafkaError>
    where
        Q: Encodable + HeaderVersion,
        A: Decodable + HeaderVersion,
    {
        self.correlation_id = self.correlation_id.wrapping_add(1);
        let correlation_id = self.correlation_id;
        let mut header = RequestHeader::default();
        header.request_api_key = key;
        header.request_api_version = version;
        header.correlation_id = correlation_id;
        header.client_id = Some(self.client_id.clone());

        let mut body = BytesMut::new();
        body.put_i32(0);
        header
            .encode(&mut body, Q::header_version(version))
            .and_then(|()| request.encode(&mut body, version))
            .map_err(|e| self.protocol(format!("cannot encode {what}: {e}")))?;
        let len = i32::try_from(body.len() - 4)
            .map_err(|_| self.protocol(format!("{what} is too large to send")))?;
        body[..4].copy_from_slice(&len.to_be_bytes());

        let deadline = Instant::now() + self.timeout;
        self.write_all(&body, what, deadline)?;
        let mut len = [0u8; 4];
        self.read_exact(&mut len, what, deadline)?;
        let len = i32::from_be_bytes(len);
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= MAX_RESPONSE_BYTES)
            .ok_or_else(|| {
                self.protocol(format!(
                    "the answer to {what} is {len} bytes long; is this a Kafka listener?"
                ))
            })?;
        let mut frame = vec![0u8; len];
        self.read_exact(&mut frame, what, deadline)?;
        let mut frame = bytes::Bytes::from(frame);
        let response_header = ResponseHeader::decode(&mut frame, A::header_version(version))
            .map_err(|e| self.protocol(format!("cannot read the answer to {what}: {e}")))?;
        if response_header.correlation_id != correlation_id {
            return Err(self.protocol(format!(
                "the answer to {what} belongs to another request (correlation id {} not {correlation_id})",
                response_header.correlation_id
            )));
        }
        let answer = A::decode(&mut frame, version)
            .map_err(|e| self.protocol(format!("cannot read the answer to {what}: {e}")))?;
        let _ = frame.remaining();
        Ok(answer)
    }

    fn write_all(
        &mut self,
        mut buf: &[u8],
        what: &str,
        deadline: Instant,
    ) -> Result<(), KafkaError> {
        while !buf.is_empty() {
            let left = self.left(what, deadline)?;
            let _ = self.stream.tcp().set_write_timeout(Some(left));
            match self.stream.write(buf) {
                Ok(0) => {
                    return Err(self.io(what, std::io::ErrorKind::WriteZero.into()));
                }
                Ok(n) => buf = &buf[n..],
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_or_timeout(what, e)),
            }
        }
        self.stream.flush().map_err(|e| self.io_or_timeout(what, e))
    }

    fn read_exact(
        &mut self,
        mut buf: &mut [u8],
        what: &str,
        deadline: Instant,
    ) -> Result<(), KafkaError> {
        while !buf.is_empty() {
            let left = self.left(what, deadline)?;
            let _ = self.stream.tcp().set_read_timeout(Some(left));
            match self.stream.read(buf) {
                Ok(0) => {
                    return Err(self.io(
                        what,
                        std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the broker closed the connection",
                        ),
                    ));
                }
                Ok(n) => buf = &mut buf[n..],
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_or_timeout(what, e)),
            }
        }
        Ok(())
    }

    fn left(&self, what: &str, deadline: Instant) -> Result<Duration, KafkaError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.timeout(what));
        }
        Ok(left)
    }

    fn timeout(&self, what: &str) -> KafkaError {
        KafkaError::Timeout {
            addr: self.addr.clone(),
            what: what.to_owned(),
            timeout: self.timeout,
        }
    }

    fn io_or_timeout(&self, what: &str, e: std::io::Error) -> KafkaError {
        if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            self.timeout(what)
        } else {
            self.io(what, e)
        }
    }

    fn io(&self, what: &str, source: std::io::Error) -> KafkaError {
        KafkaError::Io {
            addr: self.addr.clone(),
            what: what.to_owned(),
            source,
        }
    }

    fn protocol(&self, message: String) -> KafkaError {
        KafkaError::Protocol {
            addr: self.addr.clone(),
            message,
        }
    }
}

fn api_name(key: i16) -> String {
    match ApiKey::try_from(key) {
        Ok(k) => format!("{k:?}"),
        Err(()) => format!("#{key}"),
    }
}

fn connect_tcp(addr: &str, timeout: Duration) -> Result<TcpStream, KafkaError> {
    let unreachable = |source| KafkaError::Unreachable {
        addr: addr.to_owned(),
        source,
    };
    let addrs: Vec<_> = addr.to_socket_addrs().map_err(unreachable)?.collect();
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address");
    for candidate in addrs {
        match TcpStream::connect_timeout(&candidate, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Err(KafkaError::Timeout {
                    addr: addr.to_owned(),
                    what: "the TCP connection".to_owned(),
                    timeout,
                });
            }
            Err(e) => last = e,
        }
    }
    Err(unreachable(last))
}

fn tls_stream(
    addr: &str,
    tcp: TcpStream,
    options: &ConnectOptions,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, KafkaError> {
    let tls_error = |message: String| KafkaError::Tls {
        addr: addr.to_owned(),
        message,
    };
    let mut roots = rustls::RootCertStore::empty();
    match &options.tls_ca {
        Some(path) => {
            use rustls_pki_types::pem::PemObject as _;
            let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
                .map_err(|e| tls_error(format!("cannot read {}: {e}", path.display())))?;
            let mut count = 0;
            for cert in certs {
                let cert = cert.map_err(|e| {
                    tls_error(format!("{}: not a PEM certificate: {e}", path.display()))
                })?;
                roots
                    .add(cert)
                    .map_err(|e| tls_error(format!("{}: {e}", path.display())))?;
                count += 1;
            }
            if count == 0 {
                return Err(tls_error(format!(
                    "{} holds no PEM certificate",
                    path.display()
                )));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                return Err(tls_error(
                    "no CA certificates found on this system (install ca-certificates)".to_owned(),
                ));
            }
        }
    }
    // ring: the provider that builds with a C compiler alone (aws-lc-rs
    // needs cmake). Deprecated in 0.23.48 for lacking post-quantum key
    // exchange, which Kafka brokers (Java's TLS) do not offer either.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = rustls_pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| tls_error(format!("`{host}` is not a valid server name: {e}")))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| tls_error(e.to_string()))?;
    let _ = tcp.set_read_timeout(Some(options.request_timeout));
    let _ = tcp.set_write_timeout(Some(options.request_timeout));
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|e| tls_error(format!("handshake failed: {e}")))?;
    }
    Ok(stream)
}
