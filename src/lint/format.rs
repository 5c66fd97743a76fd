//! Output formats for lint results, one file per format.

pub mod jenkins;
