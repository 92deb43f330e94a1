//! The gallery (`docs/gallery/`, written by `scripts/gallery.sh`) is what the binary
//! renders today: every template as SVG and as text.

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

#[test]
fn the_gallery_matches_what_the_binary_renders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gallery = root.join("docs/gallery");
    let index = std::fs::read_to_string(gallery.join("README.md")).unwrap();
    for template in &strata::templates::ALL {
        let source = root
            .join("templates")
            .join(format!("{}.strata", template.name));
        let svg = render(&source, &["--format", "svg"]).unwrap();
        // As in scripts/gallery.sh: 100 columns, or 160, or 400 for designs that cannot fit.
        let text = ["100", "160", "400"]
            .iter()
            .find_map(|width| render(&source, &["--format", "text", "--width", width]))
            .unwrap();
        for (extension, rendered) in [("svg", svg), ("txt", text)] {
            let file = format!("{}.{extension}", template.name);
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
