pub mod build;
pub mod lint;
pub mod rules;
