//! The stub files compiled into the binary. Adding a stub file means adding one line here.

use super::load::{Section, Stub};

macro_rules! stub {
    ($section:ident, $path:literal) => {
        Stub {
            section: Section::$section,
            path: $path,
            text: include_str!(concat!("../../stdlib/", $path)),
        }
    };
}

pub(crate) static STUBS: &[Stub] = &[
    stub!(Steps, "steps/basic.groovy"),
    stub!(Steps, "steps/shell.groovy"),
    stub!(Steps, "steps/flow.groovy"),
    stub!(Symbols, "symbols/credentials.groovy"),
];
