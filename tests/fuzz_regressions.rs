//! Replays every input the fuzzer found (`fuzz/regressions/`): each must come back from the
//! parser, parsed or with a diagnostic, instead of panicking. The ones that once took
//! exponential time would make this test hang, which CI's time limit turns into a failure;
//! no timing is asserted here.

use std::path::Path;

use jenkinsfile::source::SourceFile;
use jenkinsfile::syntax;

#[test]
fn fuzz_regressions_come_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "Jenkinsfile") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable regression");
        if let Ok(source) = SourceFile::from_bytes(path.display().to_string(), bytes)
            && let Err(diags) = syntax::parse(&source)
        {
            {
                assert!(
                    !diags.is_empty(),
                    "{}: rejected without a diagnostic",
                    path.display()
                );
            }
        }
        seen += 1;
    }
    assert!(
        seen >= 3,
        "expected the committed regressions, found {seen}"
    );
}
