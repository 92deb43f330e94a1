//! Reading designs, writing outputs atomically, and printing diagnostics.

use super::ColorChoice;
use clap::ValueEnum;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::diagnostics::Diagnostic;
use strata::lint::project::Unread;
use strata::load::Project;
use strata::source::{Files, Source};

/// Exit status 2: usage, input or design errors.
pub fn failure() -> ExitCode {
    ExitCode::from(2)
}

pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name a design is reported under: its path, or `<stdin>`.
pub fn display_name(path: &Path) -> String {
    match is_stdio(path) {
        true => "<stdin>".to_string(),
        false => path.display().to_string(),
    }
}

/// The design files a command given `paths` works on: files as given, and every
/// `*.strata` file under a directory, in sorted order (hidden directories and `target/`
/// skipped), as ruff and prettier do. Standard input may be named once only.
pub fn design_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if paths.iter().filter(|path| is_stdio(path)).count() > 1 {
        return Err(
            "standard input (`-`) is named more than once: it can be read only once".to_string(),
        );
    }
    let mut files = Vec::new();
    for path in paths {
        if !is_stdio(path) && path.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            if files.len() == before {
                return Err(format!("no .strata files under {}", path.display()));
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Adds the `*.strata` files under `directory` to `files`, depth first in name order.
fn walk(directory: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", directory.display());
    let mut entries = std::fs::read_dir(directory)
        .map_err(cannot_read)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(cannot_read)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        // `strata check .` reports `designs/shop.strata`, not `./designs/shop.strata`.
        let path = match directory == Path::new(".") {
            true => PathBuf::from(&name),
            false => entry.path(),
        };
        // Not following directory links keeps the walk finite.
        let kind = entry.file_type().map_err(cannot_read)?;
        if kind.is_dir() {
            let skipped = name.to_string_lossy().starts_with('.') || name == "target";
            if !skipped {
                walk(&path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "strata") && path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// The input size refused unless `STRATA_MAX_INPUT` says otherwise: far above any real
/// design (the largest template is 8 KiB), low enough that `/dev/zero` is refused at once.
const DEFAULT_MAX_INPUT: u64 = 64 << 20;
/// The environment variable that raises (or lowers) the input limit, in bytes.
const MAX_INPUT_VARIABLE: &str = "STRATA_MAX_INPUT";

/// Reads a design file (or standard input for `-`), refusing more than the input limit.
/// Invalid UTF-8 becomes a diagnostic pointing at the first bad byte.
pub fn read_source(path: &Path) -> Result<Source, ReadError> {
    read_named(path, display_name(path))
}

/// Reads a file as [`read_source`] does, reported under `name`.
fn read_named(path: &Path, name: String) -> Result<Source, ReadError> {
    let limit = max_input()?;
    let (name, bytes) = if is_stdio(path) {
        let bytes = read_limited(std::io::stdin().lock(), limit, "standard input")?;
        (name, bytes)
    } else {
        let cannot_read = |e: std::io::Error| ReadError::unreadable(&name, e);
        let metadata = std::fs::metadata(path).map_err(cannot_read)?;
        if metadata.is_dir() {
            return Err(ReadError::Io {
                message: format!("{name} is a directory"),
                help: "this command takes one design file; `strata check` and `strata fmt` also take directories".to_string(),
            });
        }
        // A regular file says its size: refused before a byte is read.
        if metadata.len() > limit {
            return Err(ReadError::too_large(&name, limit));
        }
        let file = std::fs::File::open(path).map_err(cannot_read)?;
        (name.clone(), read_limited(file, limit, &name)?)
    };
    Source::from_bytes(name, bytes).map_err(ReadError::Design)
}

/// The input limit: `STRATA_MAX_INPUT` bytes, else [`DEFAULT_MAX_INPUT`].
fn max_input() -> Result<u64, ReadError> {
    let Some(value) = std::env::var_os(MAX_INPUT_VARIABLE) else {
        return Ok(DEFAULT_MAX_INPUT);
    };
    value
        .to_str()
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| ReadError::Io {
            message: format!(
                "{MAX_INPUT_VARIABLE} is `{}`, not a number of bytes",
                value.to_string_lossy()
            ),
            help: format!(
                "set it to a size in bytes, such as {MAX_INPUT_VARIABLE}=134217728 for 128 MiB"
            ),
        })
}

/// Reads at most one byte past `limit`: enough to know the input is too large, so an
/// endless input (`/dev/zero`, a runaway pipe) is refused as soon as the limit is passed.
fn read_limited(input: impl Read, limit: u64, name: &str) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::unreadable(name, e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::too_large(name, limit));
    }
    Ok(bytes)
}

/// A byte count as people read it: `64 MiB`, or bytes when it is not whole mebibytes.
fn describe_size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

pub enum ReadError {
    /// The input could not be read (or was refused); what happened and how to fix it.
    Io {
        message: String,
        help: String,
    },
    Design(Box<(Source, Diagnostic)>),
}

impl ReadError {
    /// The error as the library's readers of other files (configuration, imports) take it.
    pub fn unread(self) -> Unread {
        match self {
            ReadError::Io { message, .. } => Unread::Message(message),
            ReadError::Design(located) => Unread::Encoding(located),
        }
    }

    fn unreadable(name: &str, error: std::io::Error) -> Self {
        ReadError::Io {
            message: format!("cannot read {name}: {error}"),
            help: "check the path and its permissions".to_string(),
        }
    }

    fn too_large(name: &str, limit: u64) -> Self {
        ReadError::Io {
            message: format!(
                "{name} is larger than the input limit of {}",
                describe_size(limit)
            ),
            help: format!(
                "set {MAX_INPUT_VARIABLE} to a larger size in bytes to raise it, such as {MAX_INPUT_VARIABLE}={}",
                limit.saturating_mul(2)
            ),
        }
    }

    /// Reports the error on standard error.
    pub fn report(&self, color: ColorChoice) {
        match self {
            ReadError::Io { message, help } => eprintln!("error: {message}\n  help: {help}"),
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

/// Checks a design read from `path` with every file it imports, each read as a design is
/// (with the input limit). Standard input's imports are relative to the working directory.
pub fn check_design(path: &Path, source: &Source) -> strata::Checked {
    let mut read = |path: &Path, name: String| read_named(path, name).map_err(ReadError::unread);
    let design = match is_stdio(path) {
        true => Path::new("<stdin>"),
        false => path,
    };
    let mut project = Project::of(design, &mut read);
    strata::check_project(source, Some(&mut project))
}

pub fn print_diagnostics<F: Files + ?Sized>(
    files: &F,
    diagnostics: &[Diagnostic],
    color: ColorChoice,
) {
    let color = use_color(color, Stream::Stderr);
    for diagnostic in diagnostics {
        eprint!("{}", diagnostic.render(files, color));
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
    let checked = check_design(path, &source);
    print_diagnostics(&checked.files(&source), &checked.diagnostics, color);
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
/// Callers have the whole output in memory first, so the temporary file lives only for
/// the write; it is hidden, named after its target, and removed on Ctrl-C or SIGTERM.
pub fn write_output(path: &Path, contents: &[u8], overwrite: Overwrite) -> Result<(), String> {
    if is_stdio(path) {
        return stdout(contents);
    }
    let describe = |e: std::io::Error| format!("cannot write {}: {}", path.display(), e.kind());
    // Through a symlink, the file it points to is the one written, even one not there yet.
    let target = follow_links(path).map_err(describe)?;
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let file_name = target.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{file_name}.strata-tmp-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // A new file gets what any editor would give it: 0666 less the umask, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(directory).map_err(describe)?;
    let _removed_on_signal = PendingTemporary::register(temporary.path());
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

/// Symlinks followed one by one before a link chain is taken for a loop.
const MAX_LINKS: usize = 40;

/// The path a write to `path` lands on: `path` itself, or at the end of its symlinks,
/// whether or not that file exists yet (a dangling link is written through, as a live one
/// is, and stays a link).
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(target) = std::fs::read_link(&current) else {
            return Ok(current);
        };
        // A relative target is relative to the link's directory.
        current = match current.parent() {
            Some(parent) => parent.join(target),
            None => target,
        };
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The temporary file being written, for the signal handler to remove.
static PENDING: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// While alive, a temporary file that Ctrl-C or SIGTERM removes before the program exits.
struct PendingTemporary;

impl PendingTemporary {
    fn register(path: &Path) -> Self {
        static HANDLER: std::sync::Once = std::sync::Once::new();
        HANDLER.call_once(|| {
            // Without a handler a signal still ends the program: only the cleanup is lost.
            let _ = ctrlc::set_handler(|| {
                if let Ok(pending) = PENDING.lock() {
                    if let Some(path) = pending.as_ref() {
                        let _ = std::fs::remove_file(path);
                    }
                }
                std::process::exit(130);
            });
        });
        if let Ok(mut pending) = PENDING.lock() {
            *pending = Some(path.to_path_buf());
        }
        PendingTemporary
    }
}

impl Drop for PendingTemporary {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock() {
            *pending = None;
        }
    }
}

/// The format an output asks for: `--format` when given, else what the file's extension
/// says (`extensions` maps each to its format), else `stdout_default` for standard
/// output. An extension that contradicts `--format` is refused, so `-o x.svg --format png`
/// never writes PNG bytes under an SVG name.
pub fn output_format<F: ValueEnum + Copy + PartialEq>(
    output: &Path,
    given: Option<F>,
    extensions: &[(&str, F)],
    stdout_default: Option<F>,
) -> Result<F, String> {
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let named = extensions
        .iter()
        .find(|(known, _)| Some(*known) == extension.as_deref() && !is_stdio(output))
        .map(|&(_, format)| format);
    let name = |format: F| {
        format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    };
    let mut choices: Vec<String> = extensions.iter().map(|(e, _)| format!(".{e}")).collect();
    let last = choices.pop().unwrap_or_default();
    let choices = match choices.is_empty() {
        true => last,
        false => format!("{} or {last}", choices.join(", ")),
    };
    match (given, named) {
        (Some(given), Some(named)) if given != named => Err(format!(
            "{} is named as {} output but --format is {}: rename the output or drop --format",
            output.display(),
            name(named),
            name(given)
        )),
        (Some(format), _) | (None, Some(format)) => Ok(format),
        (None, None) if is_stdio(output) => stdout_default.ok_or_else(|| {
            format!(
                "pass --format to write to standard output, or -o with a name ending in {choices}"
            )
        }),
        (None, None) => Err(format!(
            "cannot tell the format of {} from its extension: name it {choices}, or pass --format",
            output.display()
        )),
    }
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
