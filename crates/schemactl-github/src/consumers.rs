//! Consumer update pull requests (to do).
