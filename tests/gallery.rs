//! The gallery (`docs/gallery/`, written by `scripts/gallery.sh`) is what the binary
//! renders today: every template as SVG and as text, the views of
//! `docs/gallery/views.txt`, and the real-world designs of `examples/real-world/`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn render(design: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("render")
        .arg(design)
        .args(["-o", "-"])
        .args(args)
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| String::from_utf8(output.stdout).unwrap())
}

/// Each drawing of the gallery: its file name under `docs/gallery/` (without extension),
/// the design it draws and its render options.
fn drawings(root: &Path) -> Vec<(String, PathBuf, Vec<String>)> {
    let template = |name: &str| root.join("templates").join(format!("{name}.strata"));
    let templates = strata::templates::ALL
        .iter()
        .map(|t| (t.name.to_string(), template(t.name), Vec::new()));
    let gallery = root.join("docs/gallery");
    let listed = std::fs::read_to_string(gallery.join("views.txt")).unwrap();
    let views = listed
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut words = line.split_whitespace().map(str::to_string);
            let name = words.next().unwrap();
            let design = template(&words.next().expect("a view names its template"));
            (name, design, words.collect())
        });
    templates.chain(views).chain(real_world(root)).collect()
}

/// The designs of `examples/real-world/`, drawn to `docs/gallery/real-world/`.
fn real_world(root: &Path) -> Vec<(String, PathBuf, Vec<String>)> {
    let mut designs: Vec<PathBuf> = std::fs::read_dir(root.join("examples/real-world"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "strata"))
        .collect();
    designs.sort();
    designs
        .into_iter()
        .map(|design| {
            let stem = design.file_stem().unwrap().to_string_lossy();
            (format!("real-world/{stem}"), design, Vec::new())
        })
        .collect()
}

#[test]
fn the_gallery_matches_what_the_binary_renders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gallery = root.join("docs/gallery");
    let index = std::fs::read_to_string(gallery.join("README.md")).unwrap();
    let drawings = drawings(root);
    assert!(drawings.len() > strata::templates::ALL.len(), "no views");
    assert_eq!(
        drawings
            .iter()
            .filter(|(name, ..)| name.starts_with("real-world/"))
            .count(),
        9,
        "the nine real-world designs of seed 002 §4 and §5.1"
    );
    for (name, source, options) in drawings {
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

#[test]
fn the_readmes_pictures_are_gallery_drawings() {
    // A picture kept elsewhere is not checked against the binary, and went stale: the
    // README showed the first layout's e-commerce drawing long after the layout changed.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let pictures: Vec<&str> = readme
        .split("![")
        .skip(1)
        .filter_map(|rest| rest.split_once("](")?.1.split_once(')'))
        .map(|(path, _)| path)
        .collect();
    assert!(!pictures.is_empty());
    for path in pictures {
        assert!(path.starts_with("docs/gallery/"), "{path}");
        assert!(root.join(path).is_file(), "{path}");
    }
}
