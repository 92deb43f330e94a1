//! `strata render`: the design drawn as SVG, PNG or text, or its layout as JSON.

use super::io::{self, Overwrite};
use super::settings::{ConfigArgs, Settings, Unusable};
use super::ColorChoice;
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use strata::layout::Direction;
use strata::lint::{config::CommandLine, lint};
use strata::model::Design;
use strata::render::text::{self, Charset, TextOptions};
use strata::render::{self, annotate::Annotations, theme::Theme, RenderOptions};
use strata::source::Source;
use strata::view::{self, Collapse, Rest, View, Viewed};

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
pub enum CollapseArg {
    /// Each outermost group as one box
    Groups,
    /// Each tier as one box
    Tiers,
}

/// The view options: at most one view (clap refuses two).
pub struct ViewArgs<'a> {
    pub focus: Option<&'a str>,
    pub depth: Option<usize>,
    pub collapse: Option<CollapseArg>,
    pub journey: Option<&'a str>,
}

impl ViewArgs<'_> {
    /// The view asked for, its names resolved in `design`.
    fn view(&self, design: &Design) -> Result<Option<View>, String> {
        if let Some(id) = self.focus {
            return Ok(Some(View::Focus {
                component: view::component(design, id)?,
                depth: self.depth.unwrap_or(1),
            }));
        }
        if let Some(id) = self.journey {
            return Ok(Some(View::Journey(view::journey(design, id)?)));
        }
        Ok(self.collapse.map(|collapse| {
            View::Collapse(match collapse {
                CollapseArg::Groups => Collapse::Groups,
                CollapseArg::Tiers => Collapse::Tiers,
            })
        }))
    }
}

/// `--depth`: a number of flows in [`view::DEPTHS`].
pub fn depth(text: &str) -> Result<usize, String> {
    let range = view::DEPTHS;
    match text.parse::<usize>() {
        Ok(depth) if range.contains(&depth) => Ok(depth),
        _ => Err(format!(
            "the depth is a number of flows from {} to {}",
            range.start(),
            range.end()
        )),
    }
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
    pub theme: Option<ThemeArg>,
    pub scale: Option<f32>,
    pub annotate: bool,
    pub charset: Option<CharsetArg>,
    pub width: Option<usize>,
    pub view: ViewArgs<'a>,
    pub config: &'a ConfigArgs,
}

impl<'a> Request<'a> {
    /// The drawing `render FILE -o OUTPUT` makes with no other option: the format from
    /// the output's extension.
    pub fn new(file: &'a Path, output: &'a Path, config: &'a ConfigArgs) -> Self {
        Request {
            file,
            output: Some(output),
            format: None,
            direction: DirectionArg::Down,
            theme: None,
            scale: None,
            annotate: false,
            charset: None,
            width: None,
            view: ViewArgs {
                focus: None,
                depth: None,
                collapse: None,
                journey: None,
            },
            config,
        }
    }
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
pub(super) fn render_file(request: &Request, color: ColorChoice) -> Result<(), Option<String>> {
    let bytes = drawing(request, color)?;
    io::write_output(
        request.output.unwrap_or(Path::new("-")),
        &bytes,
        Overwrite::Allow,
    )?;
    Ok(())
}

/// The drawing `request` asks for, not yet written. `Err(None)`: the error was already
/// reported.
pub(super) fn drawing(request: &Request, color: ColorChoice) -> Result<Vec<u8>, Option<String>> {
    let output = request.output.unwrap_or(Path::new("-"));
    let format = io::output_format(output, request.format, &EXTENSIONS, Some(Format::Svg))?;
    refuse_inapplicable_options(request, format)?;
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
    let theme = match request.theme.unwrap_or(ThemeArg::Light) {
        ThemeArg::Light => Theme::Light,
        ThemeArg::Dark => Theme::Dark,
    };
    let rest = match format {
        Format::Text => Rest::Omitted,
        _ => Rest::Dimmed,
    };
    let viewed = request
        .view
        .view(&checked.design)?
        .map(|v| view::apply(&checked.design, v, rest));
    let design = viewed.as_ref().map_or(&checked.design, |v| &v.design);
    let layout = || render::pixel_layout(design, direction);
    let marks = match request.annotate {
        true => {
            let marks = annotations(&checked, &source, request, color)?;
            Some(match &viewed {
                Some(viewed) => viewed_annotations(marks, viewed),
                None => marks,
            })
        }
        false => None,
    };
    let options = RenderOptions {
        theme,
        badges: marks.as_ref().map(|m| m.badges.as_slice()),
        outlined: marks.as_ref().map(|m| m.outlined.as_slice()),
        view: viewed.as_ref().map(|v| &v.marks),
    };
    let bytes = match format {
        Format::Json => render::json::to_json(design, &layout()).into_bytes(),
        Format::Svg => render::svg::to_svg(design, &layout(), &options).into_bytes(),
        Format::Png => render::png::design_to_png(
            design,
            direction,
            &options,
            request.scale.unwrap_or(DEFAULT_SCALE),
        )?,
        Format::Text => match &viewed {
            Some(viewed) => {
                let mut drawing =
                    render_text(&viewed.with_stubs_in_labels(), direction, request, output)?;
                if viewed.has_stubs() {
                    drawing.push_str(view::STUB_LEGEND);
                    drawing.push('\n');
                }
                drawing
            }
            None => render_text(design, direction, request, output)?,
        }
        .into_bytes(),
    };
    Ok(bytes)
}

/// Lints the design as `strata check` would: findings become badges, SPOFs are outlined.
fn annotations(
    checked: &strata::Checked,
    source: &Source,
    request: &Request,
    color: ColorChoice,
) -> Result<Annotations, Option<String>> {
    let mut settings = Settings::new(request.config);
    let configured = settings.config(request.file, checked, &CommandLine::default());
    settings.print_problems(color);
    let (config, errors) = match configured {
        Ok(configured) => configured,
        Err(Unusable::Usage(usage)) => return Err(Some(usage)),
        Err(Unusable::Configuration) => {
            return Err(Some(
                "nothing rendered: fix the configuration file first".to_string(),
            ))
        }
    };
    let files = checked.files(source);
    let linted = lint(&checked.design, &checked.comments(), &files, &config);
    if !errors.is_empty() || !linted.diagnostics.is_empty() {
        let problems: Vec<String> = errors
            .iter()
            .chain(&linted.diagnostics)
            .map(|d| d.concise(&files))
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

/// Annotations of the whole design moved onto the components a view draws; a collapsed
/// box has none of its own.
fn viewed_annotations(marks: Annotations, viewed: &Viewed) -> Annotations {
    let badges = viewed
        .original
        .iter()
        .map(|o| o.map_or_else(Vec::new, |c| marks.badges[c].clone()))
        .collect();
    let outlined = viewed
        .original
        .iter()
        .map(|o| o.is_some_and(|c| marks.outlined[c]))
        .collect();
    Annotations { badges, outlined }
}

fn render_text(
    design: &Design,
    direction: Direction,
    request: &Request,
    output: &Path,
) -> Result<String, String> {
    let charset = match request.charset.unwrap_or(CharsetArg::Unicode) {
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

/// PNG pixels per SVG unit unless `--scale` says otherwise.
const DEFAULT_SCALE: f32 = 2.0;

/// What each output extension stands for.
const EXTENSIONS: [(&str, Format); 4] = [
    ("svg", Format::Svg),
    ("png", Format::Png),
    ("json", Format::Json),
    ("txt", Format::Text),
];

/// An option that the chosen format has no use for is a mistake to say, not to ignore.
fn refuse_inapplicable_options(request: &Request, format: Format) -> Result<(), String> {
    let drawn = matches!(format, Format::Svg | Format::Png);
    let given = [
        ("--theme", request.theme.is_some(), drawn, "SVG and PNG"),
        ("--annotate", request.annotate, drawn, "SVG and PNG"),
        (
            "--scale",
            request.scale.is_some(),
            format == Format::Png,
            "PNG",
        ),
        (
            "--charset",
            request.charset.is_some(),
            format == Format::Text,
            "text",
        ),
        (
            "--width",
            request.width.is_some(),
            format == Format::Text,
            "text",
        ),
    ];
    let lint_settings = request.config.config.is_some() || request.config.isolated;
    if lint_settings && !request.annotate {
        return Err(
            "--config and --isolated choose the lint settings of --annotate: without it, render does not lint"
                .to_string(),
        );
    }
    match given
        .iter()
        .find(|(_, given, applies, _)| *given && !applies)
    {
        Some((option, _, _, applies_to)) => Err(format!(
            "{option} does not apply to {} output: it is for {applies_to}",
            format
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string())
        )),
        None => Ok(()),
    }
}
