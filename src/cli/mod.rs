//! The `strata` command line: argument parsing and dispatch. Each command is a thin
//! layer over the library; reading, writing and reporting live in `io`.

mod analyze;
mod check;
mod cost;
mod export;
mod fmt;
mod import;
mod io;
mod new;
mod render;
mod rule;
mod serve;
mod settings;
mod watch;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  strata new ecommerce -o shop.strata       start from the guide's e-commerce template
  strata check shop.strata                  errors and lint findings, each with a fix
  strata analyze shop.strata                availability path by path, single points of failure
  strata fmt shop.strata                    rewrite the file in canonical layout
  strata fmt --check designs/*.strata       in CI: exit 1 if a file is not formatted
  strata render shop.strata -o shop.svg      draw the design (also .png, .json, .txt)
  strata export shop.strata --format dot | dot -Tsvg > shop.svg
  strata import workspace.dsl -o shop.strata  read a Structurizr workspace (or --from d2)
  strata watch shop.strata -o shop.svg      re-render on every save
  strata serve shop.strata                  a live page: drawing, findings, analysis
  strata lsp                                the language server an editor starts
  cat shop.strata | strata check -          `-` reads standard input

Environment:
  STRATA_MAX_INPUT=BYTES                    the input size limit (default 64 MiB)
  NO_COLOR                                  no colour unless --color always";

#[derive(Parser)]
#[command(
    name = "strata",
    version,
    about = "Architecture designs as code: check, lint, analyze, format and export tiered system designs",
    after_help = EXAMPLES
)]
struct Cli {
    /// When to colour diagnostics (auto: only on a terminal, and never with NO_COLOR set)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check and lint designs: exit 0 when clean, 1 on findings at --fail-on, 2 on errors
    #[command(
        after_help = "Examples:\n  strata check shop.strata\n  strata check templates/*.strata --format concise --fail-on warning\n  strata check shop.strata --select AVL,SEC --severity AVL101=error\n  strata check shop.strata --format sarif > strata.sarif\n  strata check designs --write-baseline strata-baseline.toml\n  strata check designs --baseline strata-baseline.toml\n  strata check --show-settings shop.strata\n\nSettings come from the nearest strata.toml up from each design (or --config),\nthen the design's lint block, then the command line.\n\nSuppress a finding on its line, with a reason:\n  db: database  # strata: allow AVL103 because a scratch copy rebuilt nightly"
    )]
    Check(check::CheckArgs),
    /// Print a rule's documentation, or list every rule
    #[command(
        after_help = "Examples:\n  strata rule AVL102\n  strata rule --all --format markdown"
    )]
    Rule(rule::RuleArgs),
    /// Explain what a design implies: availability journey by journey, single points of failure
    #[command(
        after_help = "Examples:\n  strata analyze templates/fintech.strata\n  strata analyze shop.strata --fail api_gateway --fail region=eu-west\n  strata analyze shop.strata --fail zone=eu-west/a\n  strata analyze shop.strata --format json > analysis.json\n  strata analyze shop.strata --traffic 10x"
    )]
    Analyze {
        /// Design file (`-` for standard input)
        file: PathBuf,
        /// What if this fails: a component id, `region=NAME` for every component declared
        /// in that region, or `zone=a` (`zone=REGION/a`) for one zone's share of every
        /// component spread over it (repeatable)
        #[arg(long, value_name = "ID")]
        fail: Vec<String>,
        /// The declared traffic multiplied, e.g. `10x`: what saturates first, what to add
        #[arg(long, value_name = "FACTOR", value_parser = analyze::traffic_scale, default_value = "1x")]
        traffic: f64,
        /// Output format
        #[arg(long, value_enum, default_value_t = analyze::Format::Text)]
        format: analyze::Format,
    },
    /// Estimate the design's monthly cost, line by line, from a price table
    #[command(
        after_help = "Examples:\n  strata cost examples/url-shortener.strata\n  strata cost shop.strata --pricing reserved --format json\n  strata cost shop.strata --prices our-prices.toml\n  strata cost --show-prices > our-prices.toml"
    )]
    Cost(cost::CostArgs),
    /// Rewrite designs in canonical layout, keeping comments
    #[command(after_help = "Examples:\n  strata fmt shop.strata\n  strata fmt --check *.strata")]
    Fmt {
        /// Design files or directories (searched for `*.strata`); `-` formats standard input to standard output
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Change nothing; exit 1 if any file would be reformatted, 2 if any has errors
        #[arg(long)]
        check: bool,
    },
    /// Export the design graph as JSON, Graphviz DOT, D2, Mermaid, PlantUML, Structurizr DSL
    /// or LikeC4
    #[command(
        after_help = "Examples:\n  strata export shop.strata -o shop.json\n  strata export shop.strata --format dot | dot -Tsvg -o shop.svg\n  strata export shop.strata -o shop.d2 && d2 shop.d2 shop.svg\n  strata export shop.strata -o workspace.dsl\n  strata export shop.strata -o shop.c4 && likec4 validate ."
    )]
    Export {
        /// Design file (`-` for standard input)
        file: PathBuf,
        /// Output format, instead of the extension's (.json, .dot, .d2, .mmd, .puml, .dsl or .c4); needed for standard output
        #[arg(long, value_enum)]
        format: Option<export::Format>,
        /// Output file (`-` or absent: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Read a Structurizr DSL workspace or a D2 diagram into a strata design
    #[command(
        after_help = "Examples:\n  strata import workspace.dsl -o shop.strata\n  strata import diagram.d2 --from d2 > shop.strata\n\nWhat cannot be mapped is reported as a warning with its place in the input;\nthe design written is formatted and checks without errors."
    )]
    Import {
        /// Structurizr DSL or D2 file (`-` for standard input)
        file: PathBuf,
        /// Input language, instead of the extension's (.dsl or .d2); needed for standard input
        #[arg(long, value_enum)]
        from: Option<import::From>,
        /// Output design (`-` or absent: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Draw the design as SVG, PNG or text, or write its layout as JSON
    #[command(
        after_help = "Examples:\n  strata render shop.strata -o shop.svg\n  strata render shop.strata -o shop.png --scale 2 --theme dark\n  strata render shop.strata --direction right -o - > shop.svg\n  strata render shop.strata --format text -o -\n  strata render shop.strata -o shop.txt --charset ascii --width 120"
    )]
    Render {
        /// Design file (`-` for standard input)
        file: PathBuf,
        /// Output file; the format follows its extension (`-` or absent: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format, instead of the extension's (standard output: svg)
        #[arg(long, value_enum)]
        format: Option<render::Format>,
        /// Which way flows run
        #[arg(long, value_enum, default_value_t = render::DirectionArg::Down)]
        direction: render::DirectionArg,
        /// SVG and PNG: colours [default: light]
        #[arg(long, value_enum)]
        theme: Option<render::ThemeArg>,
        /// PNG: pixels per SVG unit [default: 2]
        #[arg(long)]
        scale: Option<f32>,
        /// SVG and PNG: overlay lint findings (a badge per severity on each component) and outline SPOFs
        #[arg(long)]
        annotate: bool,
        /// Text: box-drawing characters, or plain ASCII [default: unicode]
        #[arg(long, value_enum)]
        charset: Option<render::CharsetArg>,
        /// Text: columns available (default: the terminal's width, else 100)
        #[arg(long)]
        width: Option<usize>,
        /// View: only this component and its neighbours, the flows to the rest counted on stubs
        #[arg(long, value_name = "ID", conflicts_with_all = ["collapse", "journey"])]
        focus: Option<String>,
        /// View: how many flows away from --focus a component is drawn [default: 1]
        #[arg(long, value_name = "N", requires = "focus", value_parser = render::depth)]
        depth: Option<usize>,
        /// View: each group, or each tier, as one box carrying its flows
        #[arg(long, value_enum, conflicts_with = "journey")]
        collapse: Option<render::CollapseArg>,
        /// View: a declared journey's steps numbered in order, the rest dimmed (text: left out)
        #[arg(long, value_name = "NAME")]
        journey: Option<String>,
        #[command(flatten)]
        config: settings::ConfigArgs,
    },
    /// Re-check and re-render a design on every save, a status line per change
    #[command(
        after_help = "Examples:\n  strata watch shop.strata -o shop.svg\n  strata watch shop.strata -o shop.txt\n\nThe output is replaced atomically; a design with errors leaves the last drawing in place.\nStop with Ctrl-C."
    )]
    Watch {
        /// Design file
        file: PathBuf,
        /// Output file; the format follows its extension (.svg, .png, .json or .txt)
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        config: settings::ConfigArgs,
    },
    /// Show a design in the browser: drawing, findings and analysis, live on every save
    #[command(
        after_help = "Examples:\n  strata serve shop.strata\n  strata serve shop.strata --port 8080\n\nServes on 127.0.0.1 only; the page needs nothing from elsewhere. Click a finding to\nfind its component in the drawing. Stop with Ctrl-C."
    )]
    Serve {
        /// Design file
        file: PathBuf,
        /// Port on 127.0.0.1 (default: a free one, printed at the start)
        #[arg(long)]
        port: Option<u16>,
        #[command(flatten)]
        config: settings::ConfigArgs,
    },
    /// List the industry templates
    Templates,
    /// Write out an industry template to start a design from
    #[command(
        after_help = "Examples:\n  strata new fintech -o bank.strata\n  strata new iot -o -"
    )]
    New {
        /// Template name (see `strata templates`)
        template: String,
        /// Output file (default: TEMPLATE.strata; `-` for standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Overwrite the output file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Run the language server on standard input and output, for editors
    #[command(
        after_help = "Editors start it themselves; it speaks the Language Server Protocol on stdio:\n  diagnostics as you type, hover, go to definition, references, rename, completion,\n  symbols, formatting, folding, semantic tokens and quick fixes."
    )]
    Lsp,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = cli.color;
    match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Rule(args) => rule::run(&args),
        Command::Cost(args) => cost::run(&args, color),
        Command::Analyze {
            file,
            fail,
            traffic,
            format,
        } => analyze::run(&file, &fail, traffic, format, color),
        Command::Fmt { files, check } => fmt::run(&files, check, color),
        Command::Export {
            file,
            format,
            output,
        } => export::run(&file, format, output.as_deref(), color),
        Command::Import { file, from, output } => {
            import::run(&file, from, output.as_deref(), color)
        }
        Command::Render {
            file,
            output,
            format,
            direction,
            theme,
            scale,
            annotate,
            charset,
            width,
            focus,
            depth,
            collapse,
            journey,
            config,
        } => render::run(
            &render::Request {
                file: &file,
                output: output.as_deref(),
                format,
                direction,
                theme,
                scale,
                annotate,
                charset,
                width,
                view: render::ViewArgs {
                    focus: focus.as_deref(),
                    depth,
                    collapse,
                    journey: journey.as_deref(),
                },
                config: &config,
            },
            color,
        ),
        Command::Watch {
            file,
            output,
            config,
        } => watch::run(&file, &output, &config, color),
        Command::Serve { file, port, config } => serve::run(&file, port, &config, color),
        Command::Templates => new::list(),
        Command::New {
            template,
            output,
            force,
        } => new::run(&template, output.as_deref(), force),
        Command::Lsp => match strata::lsp::run_stdio() {
            true => ExitCode::SUCCESS,
            false => ExitCode::FAILURE,
        },
    }
}
