//! The client side of SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677)
//! as Kafka uses it: no channel binding, the username escaped, the server's
//! signature checked.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::options::Mechanism;

/// Kafka accepts 4,096 to 16,384 iterations; a server asking for more than
/// this is refused rather than obeyed (it would burn the client's CPU).
const MAX_ITERATIONS: u32 = 100_000;

/// One SCRAM exchange.
pub(crate) struct Client {
    mechanism: Mechanism,
    password: String,
    client_first_bare: String,
    nonce: String,
    server_signature: Option<Vec<u8>>,
}

impl Client {
    pub(crate) fn new(
        mechanism: Mechanism,
        username: &str,
        password: &str,
    ) -> Result<Client, String> {
        let mut raw = [0u8; 24];
        getrandom::getrandom(&mut raw)
            .map_err(|e| format!("no random numbers for the nonce: {e}"))?;
        let nonce = STANDARD.encode(raw);
        let name = username.replace('=', "=3D").replace(',', "=2C");
        Ok(Client {
            mechanism,
            password: password.to_owned(),
            client_first_bare: format!("n={name},r={nonce}"),
            nonce,
            server_signature: None,
        })
    }

    /// The client-first message.
    pub(crate) fn first(&self) -> String {
        format!("n,,{}", self.client_first_bare)
    }

    /// Answers the server-first message with the client-final message.
    pub(crate) fn on_server_first(&mut self, message: &[u8]) -> Result<String, String> {
        let text = std::str::from_utf8(message)
            .map_err(|_| "the server's SCRAM message is not UTF-8".to_owned())?;
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for attr in text.split(',') {
            match attr.split_once('=') {
                Some(("r", v)) => nonce = Some(v),
                Some(("s", v)) => salt = Some(v),
                Some(("i", v)) => iterations = Some(v),
                Some(("e", v)) => return Err(format!("the server refused: {v}")),
                Some(("m", _)) => {
                    return Err(
                        "the server asks for a SCRAM extension schemactl does not know".to_owned(),
                    );
                }
                _ => {}
            }
        }
        let (Some(nonce), Some(salt), Some(iterations)) = (nonce, salt, iterations) else {
            return Err(format!("the server's SCRAM message is malformed: `{text}`"));
        };
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err("the server's SCRAM nonce does not extend the client's".to_owned());
        }
        let salt = STANDARD
            .decode(salt)
            .map_err(|_| "the server's SCRAM salt is not base64".to_owned())?;
        let iterations: u32 = iterations
            .parse()
            .ok()
            .filter(|&i| (1..=MAX_ITERATIONS).contains(&i))
            .ok_or_else(|| {
                format!("the server's SCRAM iteration count `{iterations}` is out of range")
            })?;

        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{text},{without_proof}", self.client_first_bare);
        let salted = hi(self.mechanism, self.password.as_bytes(), &salt, iterations);
        let client_key = hmac(self.mechanism, &salted, b"Client Key");
        let stored_key = hash(self.mechanism, &client_key);
        let client_signature = hmac(self.mechanism, &stored_key, auth_message.as_bytes());
        let proof: Vec<u8> = client_key
            .iter()
            .zip(&client_signature)
            .map(|(k, s)| k ^ s)
            .collect();
        let server_key = hmac(self.mechanism, &salted, b"Server Key");
        self.server_signature = Some(hmac(self.mechanism, &server_key, auth_message.as_bytes()));
        Ok(format!("{without_proof},p={}", STANDARD.encode(proof)))
    }

    /// Checks the server-final message: the server proves it knows the
    /// password too.
    pub(crate) fn on_server_final(&self, message: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(message)
            .map_err(|_| "the server's SCRAM message is not UTF-8".to_owned())?;
        if let Some(error) = text.strip_prefix("e=") {
            return Err(format!("the server refused: {error}"));
        }
        let signature = text
            .split(',')
            .find_map(|a| a.strip_prefix("v="))
            .and_then(|v| STANDARD.decode(v).ok())
            .ok_or_else(|| format!("the server's final SCRAM message is malformed: `{text}`"))?;
        match &self.server_signature {
            Some(expected) if *expected == signature => Ok(()),
            _ => Err(
                "the server's SCRAM signature is wrong: it does not know the password".to_owned(),
            ),
        }
    }
}

fn hmac(mechanism: Mechanism, key: &[u8], data: &[u8]) -> Vec<u8> {
    match mechanism {
        Mechanism::ScramSha512 => {
            let mut mac =
                <Hmac<Sha512> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut mac =
                <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
    }
}

fn hash(mechanism: Mechanism, data: &[u8]) -> Vec<u8> {
    match mechanism {
        Mechanism::ScramSha512 => Sha512::digest(data).to_vec(),
        _ => Sha256::digest(data).to_vec(),
    }
}

/// `Hi()` of RFC 5802: PBKDF2 with HMAC as the PRF, one block.
fn hi(mechanism: Mechanism, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
    let mut block = salt.to_vec();
    block.extend_from_slice(&1u32.to_be_bytes());
    let mut u = hmac(mechanism, password, &block);
    let mut out = u.clone();
    for _ in 1..iterations {
        u = hmac(mechanism, password, &u);
        for (o, x) in out.iter_mut().zip(&u) {
            *o ^= x;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677's SCRAM-SHA-256 example: user "user", password "pencil".
    #[test]
    fn rfc7677_example() {
        let mut client = Client {
            mechanism: Mechanism::ScramSha256,
            password: "pencil".to_owned(),
            client_first_bare: "n=user,r=rOprNGfwEbeRWgbNEkqO".to_owned(),
            nonce: "rOprNGfwEbeRWgbNEkqO".to_owned(),
            server_signature: None,
        };
        let final_message = client
            .on_server_first(b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
            .expect("valid");
        assert_eq!(
            final_message,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        client
            .on_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .expect("the server's signature");
        assert!(client.on_server_final(b"v=AAAA").is_err());
    }

    #[test]
    fn refuses_a_server_that_does_not_extend_the_nonce() {
        let mut client = Client::new(Mechanism::ScramSha512, "a,b=c", "x").expect("random");
        assert!(client.first().starts_with("n,,n=a=2Cb=3Dc,r="));
        assert!(client.on_server_first(b"r=other,s=AAAA,i=4096").is_err());
        let nonce = client.nonce.clone();
        let err = client
            .on_server_first(format!("r={nonce}x,s=AAAA,i=999999999").as_bytes())
            .expect_err("too many iterations");
        assert!(err.contains("iteration count"), "{err}");
    }
}
