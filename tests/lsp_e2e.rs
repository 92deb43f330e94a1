//! `strata lsp` out of process, over stdio, driven by pytest-lsp as an editor would drive
//! it (tests/lsp_e2e/). `.ci/run` installs pytest-lsp in a virtual environment and names
//! its Python in `STRATA_PYTEST_LSP_PYTHON`; without it the test is skipped, except in CI.

use std::process::Command;

mod tools;

#[test]
fn an_editor_session_over_stdio() {
    let python = std::env::var_os("STRATA_PYTEST_LSP_PYTHON");
    let found = tools::found("pytest-lsp (STRATA_PYTEST_LSP_PYTHON)", python.is_some());
    let Some(python) = found.then_some(python).flatten() else {
        return;
    };
    let output = Command::new(python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .args([
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
        ])
        .arg("tests/lsp_e2e")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("STRATA_BIN", env!("CARGO_BIN_EXE_strata"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("the Python in STRATA_PYTEST_LSP_PYTHON runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "pytest-lsp failed:\n{report}");
    assert!(report.contains("2 passed"), "{report}");
}
