//! The sticky pull-request comment (to do).
