//! One file per lint rule, each with its documentation as the file's `//!` comment and one
//! `check` function that the registry calls.

pub(super) mod cps_closure_method;
pub(super) mod secret_interpolation;
pub(super) mod sh_bashism;
pub(super) mod step_arguments;
pub(super) mod unknown_step;
pub(super) mod unpinned_image;
