//! Why the server could not start or keep listening.

use std::net::SocketAddr;

/// Why [`serve`](crate::serve) (or [`InProcess`](crate::InProcess)) could
/// not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot start the runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the listening address: {0}")]
    LocalAddr(#[source] std::io::Error),
}

impl ServeError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        let ServeError::Listen { addr, source } = self else {
            return None;
        };
        match source.kind() {
            std::io::ErrorKind::AddrInUse => Some(format!(
                "another program listens on port {}: stop it, or pass a free address with `--addr`",
                addr.port()
            )),
            std::io::ErrorKind::AddrNotAvailable => Some(
                "pass an address of this machine with `--addr`, such as `127.0.0.1:8081`"
                    .to_owned(),
            ),
            std::io::ErrorKind::PermissionDenied => Some(
                "ports below 1024 need privileges: pass a higher port with `--addr`".to_owned(),
            ),
            _ => None,
        }
    }
}
