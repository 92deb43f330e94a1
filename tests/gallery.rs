//! The gallery (`docs/gallery/`, written by `scripts/gallery.sh`) is what the binary
//! renders today: every template as SVG and as text, and the views of
//! `docs/gallery/views.txt`.

use std::path::Path;
use std::process::Command;

fn render(template: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("render")
        .arg(template)
        .args(["-o", "-"])
        .args(args)
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap())
}

/// Each drawing of the gallery: its file name, template and render options.
fn drawings(gallery: &Path) -> Vec<(String, String, Vec<String>)> {
    let templates = strata::templates::ALL
        .iter()
        .map(|t| (t.name.to_string(), t.name.to_string(), Vec::new()));
    let listed = std::fs::read_to_string(gallery.join("views.txt")).unwrap();
    let views = listed
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut words = line.split_whitespace().map(str::to_string);
            let name = words.next().unwrap();
            let template = words.next().expect("a view names its template");
            (name, template, words.collect())
        });
    templates.chain(views).collect()
}

#[test]
fn the_gallery_matches_what_the_binary_renders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gallery = root.join("docs/gallery");
    let index = std::fs::read_to_string(gallery.join("README.md")).unwrap();
    let drawings = drawings(&gallery);
    assert!(drawings.len() > strata::templates::ALL.len(), "no views");
    for (name, template, options) in drawings {
        let source = root.join("templates").join(format!("{template}.strata"));
        let options: Vec<&str> = options.iter().map(String::as_str).collect();
        let svg = render(&source, &[&options[..], &["--format", "svg"]].concat())
            .unwrap_or_else(|| panic!("{name} does not render"));
        // As in scripts/gallery.sh: 100 columns, or 160, or 400 for designs that cannot fit.
        let text = ["100", "160", "400"]
            .iter()
            .find_map(|width| {
                render(
                    &source,
                    &[&options[..], &["--format", "text", "--width", width]].concat(),
                )
            })
            .unwrap();
        for (extension, rendered) in [("svg", svg), ("txt", text)] {
            let file = format!("{name}.{extension}");
            let committed = std::fs::read_to_string(gallery.join(&file))
                .unwrap_or_else(|_| panic!("docs/gallery/{file} is missing"));
            assert!(
                committed == rendered,
                "docs/gallery/{file} is out of date: run scripts/gallery.sh"
            );
            assert!(
                index.contains(&format!("({file})")),
                "README.md does not link {file}"
            );
        }
    }
}
