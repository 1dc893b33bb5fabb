//! Topic bindings (`topics: LANG`): for each topic of the catalog, one value
//! typed by its message, so producing another type to the topic does not
//! compile (or fails at once), with the topic's catalog entry as doc
//! comments and its Confluent schema ids for the wire format.

pub(crate) mod go;
pub(crate) mod java;
pub(crate) mod python;
pub(crate) mod rust;
pub(crate) mod typescript;
