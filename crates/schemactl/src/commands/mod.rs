pub mod breaking;
pub mod build;
pub mod check;
pub mod diff;
pub mod lint;
pub mod release;
pub mod rules;
pub mod serve;
