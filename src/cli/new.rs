//! `strata templates` and `strata new`: the guide's industry templates.

use super::io::{self, Overwrite};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::model::suggest::closest;
use strata::templates;

pub fn list() -> ExitCode {
    let list: String = templates::ALL
        .iter()
        .map(|template| format!("{:<12} {}\n", template.name, template.summary))
        .collect();
    match io::print(&list) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

pub fn run(name: &str, output: Option<&Path>, force: bool) -> ExitCode {
    let Some(template) = templates::find(name) else {
        let names = templates::ALL.iter().map(|t| t.name);
        match closest(name, names.clone()) {
            Some(suggestion) => {
                eprintln!("error: no template `{name}`; did you mean `{suggestion}`?")
            }
            None => eprintln!(
                "error: no template `{name}`; the templates are: {}",
                names.collect::<Vec<_>>().join(", ")
            ),
        }
        return io::failure();
    };
    let output = output.map_or_else(
        || PathBuf::from(format!("{name}.strata")),
        Path::to_path_buf,
    );
    let overwrite = if force {
        Overwrite::Allow
    } else {
        Overwrite::Refuse
    };
    match io::write_output(&output, template.text.as_bytes(), overwrite) {
        Ok(()) => {
            if !io::is_stdio(&output) {
                eprintln!("wrote {} (template `{name}`)", output.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            io::failure()
        }
    }
}
