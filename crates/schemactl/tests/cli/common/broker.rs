//! A real Apache Kafka broker for the `kafka` tests: one node in KRaft
//! mode (broker and controller), a SASL listener (PLAIN, SCRAM-SHA-256 and
//! SCRAM-SHA-512) on 127.0.0.1, the standard authorizer, and `admin` as
//! the super user. The jars come from Maven Central (scripts/kafka.sh,
//! SCHEMACTL_KAFKA_LIBS); the broker is killed when the value is dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Users of the SASL listener: (name, password).
pub const ADMIN: (&str, &str) = ("admin", "admin-secret");
pub const IDENTITY: (&str, &str) = ("identity-service", "identity-secret");
pub const BILLING: (&str, &str) = ("billing-service", "billing-secret");
/// A SCRAM user (both SHA-256 and SHA-512) with no ACL at all.
pub const SCRAM: (&str, &str) = ("scram-user", "scram-secret");

pub struct Broker {
    child: Option<Child>,
    pub dir: tempfile::TempDir,
    /// The SASL_PLAINTEXT listener.
    pub bootstrap: String,
    /// The SASL_SSL listener: a certificate for 127.0.0.1 signed by the
    /// test CA in [`Broker::ca_pem`].
    pub bootstrap_tls: String,
    libs: PathBuf,
}

/// The broker's jars, or `None` when the tests should be skipped (not
/// under scripts/test.sh, which sets SCHEMACTL_REQUIRE_KAFKA=1).
pub fn libs() -> Option<PathBuf> {
    match std::env::var_os("SCHEMACTL_KAFKA_LIBS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_KAFKA").is_none(),
                "SCHEMACTL_KAFKA_LIBS is not set: run scripts/kafka.sh"
            );
            eprintln!("skipped: SCHEMACTL_KAFKA_LIBS is not set (scripts/kafka.sh installs Kafka)");
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn jdk_tool(name: &str) -> PathBuf {
    match std::env::var_os("JAVA_HOME") {
        Some(home) if Path::new(&home).join("bin").join(name).exists() => {
            Path::new(&home).join("bin").join(name)
        }
        _ => PathBuf::from(name),
    }
}

fn java() -> PathBuf {
    jdk_tool("java")
}

/// A test CA (`ca.pem`) and the broker's PKCS12 keystore (`broker.p12`,
/// password `secret`) with a certificate for 127.0.0.1 and localhost that
/// the CA signed, made with the JDK's keytool.
fn make_certificates(dir: &Path) {
    let keytool = |args: &[&str]| {
        let out = Command::new(jdk_tool("keytool"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run keytool");
        assert!(
            out.status.success(),
            "keytool {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let key = [
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "3",
        "-storetype",
        "PKCS12",
        "-storepass",
        "secret",
    ];
    keytool(
        &[
            &[
                "-genkeypair",
                "-alias",
                "ca",
                "-dname",
                "CN=schemactl test CA",
                "-ext",
                "bc:c",
                "-keystore",
                "ca.p12",
            ][..],
            &key,
        ]
        .concat(),
    );
    keytool(&[
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-storepass",
        "secret",
        "-file",
        "ca.pem",
    ]);
    keytool(
        &[
            &[
                "-genkeypair",
                "-alias",
                "broker",
                "-dname",
                "CN=localhost",
                "-keystore",
                "broker.p12",
            ][..],
            &key,
        ]
        .concat(),
    );
    keytool(&[
        "-certreq",
        "-alias",
        "broker",
        "-keystore",
        "broker.p12",
        "-storepass",
        "secret",
        "-file",
        "broker.csr",
    ]);
    keytool(&[
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        "ca.p12",
        "-storepass",
        "secret",
        "-infile",
        "broker.csr",
        "-outfile",
        "broker.pem",
        "-rfc",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-validity",
        "3",
    ]);
    keytool(&[
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        "ca.pem",
        "-keystore",
        "broker.p12",
        "-storepass",
        "secret",
    ]);
    keytool(&[
        "-importcert",
        "-alias",
        "broker",
        "-file",
        "broker.pem",
        "-keystore",
        "broker.p12",
        "-storepass",
        "secret",
    ]);
}

impl Broker {
    /// Formats a fresh log directory and starts the broker; waits until it
    /// serves (at most 120 s). `None` when Kafka is not installed.
    pub fn start() -> Option<Broker> {
        let libs = libs()?;
        let dir = tempfile::tempdir().expect("tmp");
        let port = free_port();
        let tls_port = free_port();
        let controller = free_port();
        make_certificates(dir.path());
        let keystore = dir.path().join("broker.p12");
        let data = dir.path().join("data");
        let users = [ADMIN, IDENTITY, BILLING]
            .iter()
            .map(|(u, p)| format!("user_{u}=\"{p}\""))
            .collect::<Vec<_>>()
            .join(" ");
        let properties = format!(
            "process.roles=broker,controller\n\
             node.id=1\n\
             controller.quorum.voters=1@127.0.0.1:{controller}\n\
             listeners=SASL_PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:{tls_port},CONTROLLER://127.0.0.1:{controller}\n\
             advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:{tls_port}\n\
             listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT\n\
             ssl.keystore.type=PKCS12\n\
             ssl.keystore.location={keystore}\n\
             ssl.keystore.password=secret\n\
             ssl.key.password=secret\n\
             listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN\n\
             listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required {users} user_{admin}=\"{admin_password}\";\n\
             controller.listener.names=CONTROLLER\n\
             inter.broker.listener.name=SASL_PLAINTEXT\n\
             sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512\n\
             sasl.mechanism.inter.broker.protocol=PLAIN\n\
             listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"{admin}\" password=\"{admin_password}\" {users};\n\
             listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n\
             listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;\n\
             authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer\n\
             super.users=User:{admin};User:ANONYMOUS\n\
             log.dirs={data}\n\
             num.partitions=1\n\
             offsets.topic.replication.factor=1\n\
             transaction.state.log.replication.factor=1\n\
             transaction.state.log.min.isr=1\n\
             group.initial.rebalance.delay.ms=0\n\
             share.coordinator.state.topic.replication.factor=1\n\
             share.coordinator.state.topic.min.isr=1\n",
            admin = ADMIN.0,
            admin_password = ADMIN.1,
            data = data.display(),
            keystore = keystore.display(),
        );
        let config = dir.path().join("server.properties");
        std::fs::write(&config, properties).expect("write server.properties");
        let log4j = dir.path().join("log4j2.properties");
        std::fs::write(
            &log4j,
            "status = error\nappender.out.type = Console\nappender.out.name = OUT\n\
             appender.out.layout.type = PatternLayout\nappender.out.layout.pattern = [%d] %p %m (%c)%n\n\
             rootLogger.level = info\nrootLogger.appenderRef.out.ref = OUT\n",
        )
        .expect("write log4j2.properties");
        std::fs::write(
            dir.path().join("tools-log4j2.properties"),
            "status = error\nappender.err.type = Console\nappender.err.name = ERR\nappender.err.target = SYSTEM_ERR\n\
             appender.err.layout.type = PatternLayout\nappender.err.layout.pattern = %p %m%n\n\
             rootLogger.level = error\nrootLogger.appenderRef.err.ref = ERR\n",
        )
        .expect("write tools-log4j2.properties");
        let classpath = format!("{}/*", libs.display());
        let scram = format!("name={},password={}", SCRAM.0, SCRAM.1);
        let format = Command::new(java())
            .arg("-cp")
            .arg(&classpath)
            .arg(format!("-Dlog4j2.configurationFile={}", log4j.display()))
            .args([
                "kafka.tools.StorageTool",
                "format",
                "-t",
                "c2NoZW1hY3RsLXRlc3RzLQ",
                "-c",
            ])
            .arg(&config)
            .args(["--add-scram", &format!("SCRAM-SHA-256=[{scram}]")])
            .args(["--add-scram", &format!("SCRAM-SHA-512=[{scram}]")])
            .output()
            .expect("run Kafka's storage tool (java)");
        assert!(
            format.status.success(),
            "formatting the broker's storage failed:\n{}{}",
            String::from_utf8_lossy(&format.stdout),
            String::from_utf8_lossy(&format.stderr)
        );
        let log = std::fs::File::create(dir.path().join("broker.log")).expect("broker.log");
        let child = Command::new(java())
            .args([
                "-Xms256m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
            ])
            .arg("-cp")
            .arg(&classpath)
            .arg(format!("-Dlog4j2.configurationFile={}", log4j.display()))
            .arg("kafka.Kafka")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start the Kafka broker (java)");
        let mut broker = Broker {
            child: Some(child),
            dir,
            bootstrap: format!("127.0.0.1:{port}"),
            bootstrap_tls: format!("127.0.0.1:{tls_port}"),
            libs,
        };
        broker.wait_started();
        Some(broker)
    }

    fn wait_started(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let log = self.dir.path().join("broker.log");
        loop {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("Kafka Server started") {
                return;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                let errors: Vec<&str> = text
                    .lines()
                    .filter(|l| l.contains("ERROR") || l.contains("Exception"))
                    .collect();
                panic!(
                    "the Kafka broker exited ({status}) before it started:\n{}",
                    errors.join("\n")
                );
            }
            assert!(
                Instant::now() < deadline,
                "the Kafka broker did not start within 120 s:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A client properties file (as `--command-config` and Kafka's tools
    /// take it) for `user` with SASL `mechanism`.
    pub fn client_config(&self, (user, password): (&str, &str), mechanism: &str) -> PathBuf {
        let module = if mechanism == "PLAIN" {
            "org.apache.kafka.common.security.plain.PlainLoginModule"
        } else {
            "org.apache.kafka.common.security.scram.ScramLoginModule"
        };
        let path = self
            .dir
            .path()
            .join(format!("{user}-{}.properties", mechanism.to_lowercase()));
        std::fs::write(
            &path,
            format!(
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism={mechanism}\n\
                 sasl.jaas.config={module} required username=\"{user}\" password=\"{password}\";\n"
            ),
        )
        .expect("write client properties");
        path
    }

    /// The PEM file of the CA that signed the TLS listener's certificate.
    pub fn ca_pem(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// `--command-config` of the super user.
    pub fn admin_config(&self) -> PathBuf {
        self.client_config(ADMIN, "PLAIN")
    }

    /// Runs one of Kafka's own command-line tools (its main class, e.g.
    /// `org.apache.kafka.tools.TopicCommand`) as the super user, against
    /// this broker, and returns its stdout; panics when it fails.
    pub fn tool(&self, main_class: &str, args: &[&str]) -> String {
        let out = Command::new(java())
            .arg("-cp")
            .arg(format!("{}/*", self.libs.display()))
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                self.dir.path().join("tools-log4j2.properties").display()
            ))
            .arg(main_class)
            .args(["--bootstrap-server", &self.bootstrap, "--command-config"])
            .arg(self.admin_config())
            .args(args)
            .output()
            .expect("run a Kafka tool (java)");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{main_class} {args:?} failed:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// Kafka's `DumpLogSegments` of the first segment of `topic`'s
    /// `partition`, from the broker's log directory: its record batches,
    /// with their offsets and compression codec.
    pub fn dump_log(&self, topic: &str, partition: u32) -> String {
        let segment = self
            .dir
            .path()
            .join(format!("data/{topic}-{partition}/00000000000000000000.log"));
        let out = Command::new(java())
            .arg("-cp")
            .arg(format!("{}/*", self.libs.display()))
            .arg(format!(
                "-Dlog4j2.configurationFile={}",
                self.dir.path().join("tools-log4j2.properties").display()
            ))
            .args(["org.apache.kafka.tools.DumpLogSegments", "--files"])
            .arg(&segment)
            .output()
            .expect("run DumpLogSegments (java)");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "DumpLogSegments {} failed:\n{stdout}{}",
            segment.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// Kills the broker (a crashed or stopped broker, for error tests).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.stop();
    }
}
