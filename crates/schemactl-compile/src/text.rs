use std::ops::Deref;
use std::sync::Arc;

/// A file's text, sharing the bytes read from the input (no copy). Checked
/// to be UTF-8 once, when made.
#[derive(Clone, Debug)]
pub struct Text(Arc<[u8]>);

impl Text {
    /// `None` if the bytes are not UTF-8.
    pub fn new(bytes: Arc<[u8]>) -> Option<Self> {
        std::str::from_utf8(&bytes).ok()?;
        Some(Text(bytes))
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        // Validated in `new`; re-checking is a fast SIMD scan.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Arc::from(s.as_bytes()))
    }
}
