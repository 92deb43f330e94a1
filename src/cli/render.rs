//! `strata render`: the design drawn as SVG, PNG or text, or its layout as JSON.

use super::io::{self, Overwrite};
use super::ColorChoice;
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use strata::layout::Direction;
use strata::lint::{config::CommandLine, lint, Config};
use strata::render::text::{self, Charset, TextOptions};
use strata::render::{self, annotate::Annotations, theme::Theme, RenderOptions};
use strata::source::Source;

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub enum Format {
    /// A vector drawing
    Svg,
    /// A raster image (with the font embedded in strata)
    Png,
    /// The laid-out geometry: boxes and edge polylines
    Json,
    /// A diagram in characters, for terminals, READMEs and code comments
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CharsetArg {
    /// Box-drawing characters and arrowheads
    Unicode,
    /// Only `+ - | > v` and friends
    Ascii,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    /// Tiers are rows, flows run down
    Down,
    /// Tiers are columns, flows run right
    Right,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

pub struct Request<'a> {
    pub file: &'a Path,
    pub output: Option<&'a Path>,
    pub format: Option<Format>,
    pub direction: DirectionArg,
    pub theme: ThemeArg,
    pub scale: f32,
    pub annotate: bool,
    pub charset: CharsetArg,
    pub width: Option<usize>,
}

pub fn run(request: &Request, color: ColorChoice) -> ExitCode {
    match render_file(request, color) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Some(message)) => {
            eprintln!("error: {message}");
            io::failure()
        }
        Err(None) => io::failure(),
    }
}

/// `Err(None)`: the error was already reported.
fn render_file(request: &Request, color: ColorChoice) -> Result<(), Option<String>> {
    let output = request.output.unwrap_or(Path::new("-"));
    let format = match request.format {
        Some(format) => format,
        None => format_of(output)?,
    };
    io::guard_input(request.file, output)?;
    if format == Format::Png && io::is_stdio(output) && std::io::stdout().is_terminal() {
        return Err(Some(
            "a PNG is binary: write it to a file (`-o out.png`) or redirect standard output"
                .to_string(),
        ));
    }
    let (source, checked) = io::load_checked(request.file, color, "rendered").map_err(|_| None)?;
    let direction = match request.direction {
        DirectionArg::Down => Direction::Down,
        DirectionArg::Right => Direction::Right,
    };
    let theme = match request.theme {
        ThemeArg::Light => Theme::Light,
        ThemeArg::Dark => Theme::Dark,
    };
    let design = &checked.design;
    let layout = || render::pixel_layout(design, direction);
    let marks = match request.annotate {
        true => Some(annotations(&checked, &source)?),
        false => None,
    };
    let options = RenderOptions {
        theme,
        badges: marks.as_ref().map(|m| m.badges.as_slice()),
        outlined: marks.as_ref().map(|m| m.outlined.as_slice()),
    };
    let bytes = match format {
        Format::Json => render::json::to_json(design, &layout()).into_bytes(),
        Format::Svg => render::svg::to_svg(design, &layout(), &options).into_bytes(),
        Format::Png => render::png::to_png(
            &render::svg::to_svg(design, &layout(), &options),
            request.scale,
        )?,
        Format::Text => render_text(design, direction, request, output)?.into_bytes(),
    };
    io::write_output(output, &bytes, Overwrite::Allow)?;
    Ok(())
}

/// Lints the design with its own settings: findings become badges, SPOFs are outlined.
fn annotations(checked: &strata::Checked, source: &Source) -> Result<Annotations, Option<String>> {
    let (config, errors) = Config::new(&checked.design, &CommandLine::default())?;
    let linted = lint(&checked.design, &checked.parsed.comments, source, &config);
    if !errors.is_empty() || !linted.diagnostics.is_empty() {
        let problems: Vec<String> = errors
            .iter()
            .chain(&linted.diagnostics)
            .map(|d| d.concise(source))
            .collect();
        return Err(Some(format!(
            "nothing rendered: fix the lint settings first\n{}",
            problems.join("\n")
        )));
    }
    let analysis = strata::analysis::analyze(&checked.design);
    Ok(render::annotate::annotations(
        &checked.design,
        &linted.findings,
        &analysis.spofs,
    ))
}

fn render_text(
    design: &strata::model::Design,
    direction: Direction,
    request: &Request,
    output: &Path,
) -> Result<String, String> {
    let charset = match request.charset {
        CharsetArg::Unicode => Charset::Unicode,
        CharsetArg::Ascii => Charset::Ascii,
    };
    let width = request.width.unwrap_or_else(|| default_width(output));
    let options = TextOptions {
        direction,
        charset,
        width,
    };
    text::to_text(design, &options).map_err(|error| error.to_string())
}

/// The terminal's width when the drawing goes to one, else a width most places show.
fn default_width(output: &Path) -> usize {
    const UNKNOWN: usize = 100;
    if !io::is_stdio(output) || !std::io::stdout().is_terminal() {
        return UNKNOWN;
    }
    terminal_size::terminal_size().map_or(UNKNOWN, |(terminal_size::Width(w), _)| usize::from(w))
}

/// The format an output file's extension asks for; standard output gets SVG.
fn format_of(output: &Path) -> Result<Format, String> {
    if io::is_stdio(output) {
        return Ok(Format::Svg);
    }
    let extension = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("svg") => Ok(Format::Svg),
        Some("png") => Ok(Format::Png),
        Some("json") => Ok(Format::Json),
        Some("txt") => Ok(Format::Text),
        _ => Err(format!(
            "cannot tell the format of {} from its extension: name it .svg, .png, .json or .txt, or pass --format",
            output.display()
        )),
    }
}
