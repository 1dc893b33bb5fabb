//! Work done for a request stops when the request's time is up.
//!
//! A [`Deadline`] is checked between the phases of a lookup, compatibility
//! check, validation or diff and inside their loops, so a request that
//! timed out (or whose client went away) stops using a CPU instead of
//! finishing work nobody will read.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// When the work for one request must stop: a point in time, and a flag
/// the server raises as soon as the request is abandoned (the timeout
/// answered it, or the client disconnected).
#[derive(Debug, Clone, Default)]
pub struct Deadline {
    at: Option<Instant>,
    cancelled: Arc<AtomicBool>,
}

/// The deadline passed or the work was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request's time is up; the work for it was stopped")]
pub struct Expired;

impl Deadline {
    /// No time limit (startup and refresh work, tests).
    pub fn none() -> Self {
        Deadline::default()
    }

    pub fn at(at: Instant) -> Self {
        Deadline {
            at: Some(at),
            cancelled: Arc::default(),
        }
    }

    /// Stop the work at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_expired(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || self.at.is_some_and(|at| Instant::now() >= at)
    }

    pub fn check(&self) -> Result<(), Expired> {
        if self.is_expired() {
            Err(Expired)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn expires_at_its_time_or_when_cancelled() {
        assert_eq!(Deadline::none().check(), Ok(()));
        let later = Deadline::at(Instant::now() + Duration::from_secs(3600));
        assert_eq!(later.check(), Ok(()));
        let shared = later.clone();
        later.cancel();
        assert_eq!(shared.check(), Err(Expired));
        let past = Deadline::at(Instant::now());
        assert_eq!(past.check(), Err(Expired));
    }
}
