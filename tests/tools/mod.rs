//! Shared by the tests that need a tool beyond the Rust toolchain, which `.ci/run` installs.

/// Whether a test can run with the tool it needs: outside CI a missing tool skips the test
/// with the reason printed; in CI (`CI=true`) it fails it, since `.ci/run` installs it.
pub fn found(what: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(!ci, "{what} is missing: .ci/run installs it");
    eprintln!("skipped: {what} is missing (.ci/run installs it)");
    false
}
