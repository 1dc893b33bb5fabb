pub mod breaking;
pub mod build;
pub mod check;
pub mod lint;
pub mod rules;
