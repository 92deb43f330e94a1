//! Reading designs, writing outputs atomically, and printing diagnostics.

use super::ColorChoice;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use strata::diagnostics::Diagnostic;
use strata::source::Source;

/// Exit status 2: usage, input or design errors.
pub fn failure() -> ExitCode {
    ExitCode::from(2)
}

pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a design file (or standard input for `-`). Invalid UTF-8 becomes a diagnostic
/// pointing at the first bad byte.
pub fn read_source(path: &Path) -> Result<Source, ReadError> {
    let (name, bytes) = if is_stdio(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(format!("cannot read standard input: {e}")))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| ReadError::Io(format!("cannot read {}: {e}", path.display())))?;
        (path.display().to_string(), bytes)
    };
    Source::from_bytes(name, bytes).map_err(ReadError::Design)
}

pub enum ReadError {
    Io(String),
    Design(Box<(Source, Diagnostic)>),
}

impl ReadError {
    /// Reports the error on standard error.
    pub fn report(&self, color: ColorChoice) {
        match self {
            ReadError::Io(message) => eprintln!("error: {message}"),
            ReadError::Design(design) => {
                let (source, diagnostic) = design.as_ref();
                eprint!(
                    "{}",
                    diagnostic.render(source, use_color(color, Stream::Stderr))
                )
            }
        }
    }
}

#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
pub fn use_color(choice: ColorChoice, stream: Stream) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let terminal = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            terminal && !no_color
        }
    }
}

pub fn print_diagnostics(source: &Source, diagnostics: &[Diagnostic], color: ColorChoice) {
    let color = use_color(color, Stream::Stderr);
    for diagnostic in diagnostics {
        eprint!("{}", diagnostic.render(source, color));
    }
}

/// Reads and checks a design for a command that produces output from it. On an error,
/// reports it and says what was not done; the caller exits with the returned code.
pub fn load_checked(
    path: &Path,
    color: ColorChoice,
    what: &str,
) -> Result<(Source, strata::Checked), ExitCode> {
    let source = read_source(path).map_err(|error| {
        error.report(color);
        failure()
    })?;
    let checked = strata::check(&source);
    print_diagnostics(&source, &checked.diagnostics, color);
    if checked.has_errors() {
        eprintln!("error: nothing {what}: fix the errors above first");
        return Err(failure());
    }
    Ok((source, checked))
}

/// How `write_output` treats an existing file.
#[derive(Clone, Copy, PartialEq)]
pub enum Overwrite {
    Allow,
    Refuse,
}

/// Writes `contents` to `path` (standard output for `-`), atomically: a temporary file
/// in the same directory, renamed over the target, so a failure never leaves a
/// half-written file. With `Overwrite::Refuse` an existing file is left untouched.
pub fn write_output(path: &Path, contents: &[u8], overwrite: Overwrite) -> Result<(), String> {
    if is_stdio(path) {
        return stdout(contents);
    }
    // Through a symlink, the file it points to is the one to replace.
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let describe = |e: std::io::Error| format!("cannot write {}: {}", path.display(), e.kind());
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    // A new file gets what any editor would give it: 0666 less the umask, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(directory).map_err(describe)?;
    if let Some(permissions) = existing.filter(|_| overwrite == Overwrite::Allow) {
        temporary
            .as_file()
            .set_permissions(permissions)
            .map_err(describe)?;
    }
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(describe)?;
    let persisted = match overwrite {
        Overwrite::Allow => temporary.persist(&target),
        Overwrite::Refuse => temporary.persist_noclobber(&target),
    };
    persisted.map(drop).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists; pass --force to overwrite it",
                path.display()
            )
        } else {
            describe(e.error)
        }
    })
}

/// Writes to standard output. A closed pipe (`| head`) ends the program quietly, as Unix
/// tools do; any other failure (a full disk) is an error.
pub fn stdout(contents: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(contents).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}

/// Prints to standard output, or reports why it could not and says to exit with 2.
pub fn print(text: &str) -> Result<(), ExitCode> {
    stdout(text.as_bytes()).map_err(|message| {
        eprintln!("error: {message}");
        failure()
    })
}

/// Refuses to write an output over the design it was made from.
pub fn guard_input(input: &Path, output: &Path) -> Result<(), String> {
    if is_stdio(input) || is_stdio(output) {
        return Ok(());
    }
    match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => Err(format!(
            "refusing to overwrite the input {} with the output",
            input.display()
        )),
        _ => Ok(()),
    }
}
