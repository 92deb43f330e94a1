//! `strata render`: the design drawn as SVG, PNG or text, or its layout as JSON.

use super::io::{self, Overwrite};
use super::ColorChoice;
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use strata::layout::Direction;
use strata::render::text::{self, Charset, TextOptions};
use strata::render::{self, theme::Theme, RenderOptions};

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
    let source = io::read_source(request.file).map_err(|error| {
        error.report(color);
        None
    })?;
    let checked = strata::check(&source);
    io::print_diagnostics(&source, &checked.diagnostics, color);
    if checked.has_errors() {
        return Err(Some(
            "nothing rendered: fix the errors above first".to_string(),
        ));
    }
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
    let options = RenderOptions {
        theme,
        badges: None,
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
