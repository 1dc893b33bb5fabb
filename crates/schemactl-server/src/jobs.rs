//! CPU-heavy request work (compiling a submitted schema, compatibility,
//! payload validation, diffs, assembling descriptor sets) runs on the
//! blocking pool, a bounded number at a time, under the request's deadline:
//! never on the async workers, which keep answering the cheap requests
//! (`/healthz`, cached bodies) meanwhile. Handlers go through [`Jobs::run`]
//! (or a helper here built on it), never `spawn_blocking` themselves.
//!
//! - At most `max_jobs` run at once (sized to the cores), so heavy POSTs
//!   cannot take every core from cheap lookups; a request that cannot get
//!   a slot within [`QUEUE_WAIT`] gets 429 instead of queueing without end.
//! - The slot is held until the work really ends, not until its request
//!   was answered: work that cannot be interrupted (inside the compiler)
//!   still counts against the bound after its request timed out.
//! - The request's [`Deadline`] is cancelled as soon as the request is
//!   abandoned (the timeout answered it, the client went away), and the
//!   registry checks it between phases and inside its loops.
//! - A panic in the work is a 500, counted; the worker thread survives.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use schemactl_registry::diff::{DiffError, TopicDiff};
use schemactl_registry::{Deadline, ImageError, Registry, TopicVersion};
use tokio::sync::Semaphore;

/// How long a request waits for a free slot before it is refused.
pub const QUEUE_WAIT: Duration = Duration::from_millis(500);

pub struct Jobs {
    slots: Arc<Semaphore>,
    capacity: usize,
    timeout: Duration,
    pub counters: Counters,
}

#[derive(Default)]
pub struct Counters {
    pub finished: AtomicU64,
    /// Stopped by their deadline (the work returned early or its result
    /// was dropped).
    pub cancelled: AtomicU64,
    /// Refused: no slot free within [`QUEUE_WAIT`].
    pub rejected: AtomicU64,
    pub panicked: AtomicU64,
    pub running: AtomicU64,
}

/// Why a job gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobError {
    /// Every slot was taken for longer than [`QUEUE_WAIT`].
    Busy,
    /// The request's time ran out.
    Expired,
    /// The work panicked (the panic is logged on stderr, never sent).
    Panicked,
}

/// Cancels the deadline when dropped: the request future is dropped when
/// the timeout answers for it or the connection closes.
struct CancelOnDrop(Deadline);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Decrements a gauge however the work ends, panics included.
struct Running<'a>(&'a AtomicU64);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Jobs {
    pub fn new(max_jobs: usize, request_timeout: Duration) -> Self {
        let capacity = max_jobs.max(1);
        Jobs {
            slots: Arc::new(Semaphore::new(capacity)),
            capacity,
            timeout: request_timeout,
            counters: Counters::default(),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Run `work` on the blocking pool once a slot is free, with a deadline
    /// at the end of the request's time. `work` returns `Err(Expired)`-like
    /// results itself; `expired` tells the outcome counters whether it
    /// stopped on its deadline.
    pub async fn run<T, F>(
        self: &Arc<Self>,
        work: F,
        expired: fn(&T) -> bool,
    ) -> Result<T, JobError>
    where
        T: Send + 'static,
        F: FnOnce(&Deadline) -> T + Send + 'static,
    {
        let started = Instant::now();
        let deadline = Deadline::at(started + self.timeout);
        let guard = CancelOnDrop(deadline.clone());
        let wait = QUEUE_WAIT.min(self.timeout);
        let permit = match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) | Err(_) => {
                self.counters.rejected.fetch_add(1, Ordering::Relaxed);
                return Err(JobError::Busy);
            }
        };
        let jobs = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            // The slot is released when the work ends, whenever that is.
            let _permit = permit;
            jobs.counters.running.fetch_add(1, Ordering::Relaxed);
            let _running = Running(&jobs.counters.running);
            if deadline.is_expired() {
                jobs.counters.cancelled.fetch_add(1, Ordering::Relaxed);
                return None;
            }
            let out = work(&deadline);
            let counter = if expired(&out) || deadline.is_expired() {
                &jobs.counters.cancelled
            } else {
                &jobs.counters.finished
            };
            counter.fetch_add(1, Ordering::Relaxed);
            Some(out)
        });
        let outcome = task.await;
        drop(guard);
        match outcome {
            Ok(Some(out)) => Ok(out),
            Ok(None) => Err(JobError::Expired),
            Err(_) => {
                self.counters.panicked.fetch_add(1, Ordering::Relaxed);
                Err(JobError::Panicked)
            }
        }
    }

    /// The diff between two versions of `topic` (the breaking rules, the
    /// change summary, the unified diffs), for the API and the UI. `None`
    /// when `registry` has no such topic.
    pub async fn topic_diff(
        self: &Arc<Self>,
        registry: Arc<Registry>,
        topic: String,
        from: Arc<TopicVersion>,
        to: Arc<TopicVersion>,
    ) -> Result<Option<Result<TopicDiff, DiffError>>, JobError> {
        self.run(
            move |deadline| {
                let t = registry.topics.get(&topic)?;
                Some(schemactl_registry::diff::topic_diff(
                    t, &from, &to, deadline,
                ))
            },
            |r| matches!(r, Some(Err(DiffError::Expired(_)))),
        )
        .await
    }

    /// The encoded `FileDescriptorSet` of a version (its file and
    /// everything it imports).
    pub async fn descriptor_set(
        self: &Arc<Self>,
        version: Arc<TopicVersion>,
    ) -> Result<Result<Vec<u8>, ImageError>, JobError> {
        self.run(move |_| version.descriptor_set(), |_| false).await
    }
}
