//! Helpers shared by families of breaking rules. Each rule keeps its own
//! file; what several rules do alike lives here, named for what it does.

pub mod field;
pub mod file;
pub mod json_format;
pub mod method;
pub mod ranges;
