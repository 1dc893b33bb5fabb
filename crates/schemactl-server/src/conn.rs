//! Connections: a client that stops reading is closed ([`WriteStall`]);
//! idle connections make room for new ones ([`Table`]).
//!
//! hyper's header timeout covers clients that send slowly; a client that
//! sends requests but never reads the answers (a "slow read") would hold
//! its connection, and a connection slot, forever once the socket buffers
//! are full. [`WriteStall`] fails a write that makes no progress for the
//! given time, which ends the connection.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Sleep;

use crate::state::AppState;

pub struct WriteStall<T> {
    inner: T,
    limit: Duration,
    /// Armed when a write first cannot proceed, disarmed by any progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteStall<T> {
    pub fn new(inner: T, limit: Duration) -> Self {
        WriteStall {
            inner,
            limit,
            stalled: None,
        }
    }

    fn progress<R>(
        &mut self,
        poll: Poll<io::Result<R>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<R>> {
        match poll {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let limit = self.limit;
                let timer = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading its response",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteStall<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteStall<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.progress(poll, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.progress(poll, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.progress(poll, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.progress(poll, cx)
    }
}

/// The connections being served, each with its count of requests in
/// flight and when it last finished one: when every slot is taken, the
/// connection idle the longest (no request in flight; idle between
/// requests, or still sending its first head) is closed to make room. A
/// flood of idle or slow connections thus never makes a good client wait
/// for their timeouts, and busy kept-alive clients are the last to go.
pub struct Table {
    live: Mutex<BTreeMap<u64, Entry>>,
    next: AtomicU64,
    epoch: Instant,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            live: Mutex::default(),
            next: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

struct Entry {
    activity: Arc<Activity>,
    close: Arc<Notify>,
}

/// What a connection is doing, updated by its requests.
pub struct Activity {
    in_flight: AtomicUsize,
    /// Milliseconds after the table's epoch when the connection opened or
    /// last finished a request.
    last_active: AtomicU64,
    epoch: Instant,
}

impl Activity {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// One registered connection; leaves the table when dropped.
pub struct Handle {
    id: u64,
    table: Arc<Table>,
    pub activity: Arc<Activity>,
    /// Notified when the connection is chosen to be closed.
    pub close: Arc<Notify>,
}

impl Table {
    pub fn register(self: &Arc<Self>) -> Handle {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity {
            in_flight: AtomicUsize::new(0),
            last_active: AtomicU64::new(0),
            epoch: self.epoch,
        });
        activity
            .last_active
            .store(activity.now(), Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        self.lock().insert(
            id,
            Entry {
                activity: activity.clone(),
                close: close.clone(),
            },
        );
        Handle {
            id,
            table: self.clone(),
            activity,
            close,
        }
    }

    /// Close the connection idle the longest; `false` when every
    /// connection has a request in flight.
    pub fn evict_idle(&self) -> bool {
        let mut live = self.lock();
        let idle = live
            .iter()
            .filter(|(_, e)| e.activity.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|(_, e)| e.activity.last_active.load(Ordering::Relaxed))
            .map(|(id, _)| *id);
        match idle.and_then(|id| live.remove(&id)) {
            Some(entry) => {
                // Stored if the task is not waiting yet: never lost.
                entry.close.notify_one();
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Entry>> {
        match self.live.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.table.lock().remove(&self.id);
    }
}

/// Counts a request in flight on its connection until dropped.
pub struct InFlight(Arc<Activity>);

impl InFlight {
    pub fn new(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.last_active.store(self.0.now(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serve connections until SIGINT or SIGTERM, then finish the requests in
/// flight.
///
/// axum::serve has no knobs for slow clients, so connections are served
/// with hyper's HTTP/1 builder directly:
/// - the request head must arrive within `--header-timeout`; hyper arms
///   the same timer while a kept-alive connection waits for its next
///   request, so an idle connection is closed after that time too; and a
///   client that stops reading its response for that long is closed
///   ([`WriteStall`]);
/// - at most `--max-connections` are served at once. When all are taken,
///   the connection idle the longest is closed to make room
///   ([`Table`]); only when every connection has a request in
///   flight do new ones wait in the kernel's backlog. So a flood of idle or
///   slow connections neither locks a good client out nor makes it wait
///   for their timeouts.
pub(crate) async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    state: Arc<AppState>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};

    let slots = Arc::new(tokio::sync::Semaphore::new(
        state.options.max_connections.max(1),
    ));
    let table = Arc::new(Table::default());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.options.header_timeout)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: back off instead of spinning.
                    eprintln!("schemactl serve: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if table.evict_idle() {
                    state.metrics.connection_evicted();
                }
                tokio::select! {
                    slot = slots.clone().acquire_owned() => match slot {
                        Ok(slot) => slot,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let stream = WriteStall::new(stream, state.options.header_timeout);
        let handle = table.register();
        let service = {
            let app = app.clone();
            let activity = handle.activity.clone();
            hyper::service::service_fn(
                move |request: axum::http::Request<hyper::body::Incoming>| {
                    let busy = InFlight::new(&activity);
                    let response = tower::ServiceExt::oneshot(app.clone(), request);
                    async move {
                        let response = response.await;
                        drop(busy);
                        response
                    }
                },
            )
        };
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let state = state.clone();
        state.metrics.connection_opened();
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a malformed or late
            // head); the connection is closed either way. Dropping it when
            // chosen to make room closes it too.
            tokio::select! {
                _ = connection => {}
                () = handle.close.notified() => {}
            }
            state.metrics.connection_closed();
            drop(handle);
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    eprintln!("schemactl serve: shutting down (finishing requests in flight)");
}
