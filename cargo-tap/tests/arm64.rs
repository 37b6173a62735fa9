//! `cargo tap package` cross-builds a function that says `architecture: Arm64` through
//! cargo-lambda and zig (the test command installs both from PyPI into `.venv` and puts it
//! on `PATH`): the zip holds an aarch64 executable, named by its content hash, the same
//! hash on a second run.
//!
//! The app crate has tap as a build dependency only (its stack lives in `build.rs`), so the
//! cross-build compiles the handler and the standard library, nothing else.

use std::path::Path;
use std::process::Command;

const STACK: &str = r#"use tap::prelude::*;

#[stack(name = "ArmHello")]
pub fn arm_hello() {
    let handler = resource!(Function {
        name: "arm-hello-{suffix}",
        code: Bin("hello"),
        runtime: ProvidedAl2023,
        architecture: Arm64,
    });
    resource!(LogGroup { function: handler, retention_days: 7, removal: Destroy });
    resource!(Output { name: "HandlerName", value: handler.name });
}
"#;

fn package(app: &Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-tap"))
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .args(["tap", "package", "--json"])
        .current_dir(app)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo tap package failed (is cargo-lambda on PATH? the test command installs it with zig into .venv):\n{stderr}"
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn an_arm64_function_is_cross_built_zipped_and_named_by_its_hash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // Outside this workspace, kept between runs so its target directory stays warm.
    let app = std::env::temp_dir().join("tap-arm64-app");
    std::fs::create_dir_all(app.join("src/bin")).unwrap();
    let manifest = format!(
        "[package]\nname = \"arm-hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[build-dependencies]\ntap = {{ package = \"tap-iac\", path = {:?} }}\n",
        root.display()
    );
    std::fs::write(app.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(app.join("build.rs"), "#[path = \"src/stack.rs\"]\nmod stack;\n\nfn main() {\n    tap::build::emit(stack::arm_hello(), &[\"src/stack.rs\"]);\n}\n").unwrap();
    std::fs::write(app.join("src/stack.rs"), STACK).unwrap();
    std::fs::write(app.join("src/bin/hello.rs"), "fn main() {\n    println!(\"hello from arm64\");\n}\n").unwrap();
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();

    let first = package(&app);
    let asset = &first["files"][0];
    assert_eq!(
        (asset["function"].as_str(), asset["architecture"].as_str()),
        (Some("handler"), Some("arm64")),
        "{first}"
    );
    let here = app.join("target/tap/ArmHello");
    let template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(here.join("ephemeral/template.json")).unwrap()).unwrap();
    assert_eq!(template["Resources"]["Handler"]["Properties"]["Architectures"], serde_json::json!(["arm64"]));

    let zip = std::fs::read(here.join(asset["path"].as_str().unwrap())).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut header = [0u8; 20];
    std::io::Read::read_exact(&mut archive.by_name("bootstrap").unwrap(), &mut header).unwrap();
    assert_eq!(&header[..4], b"\x7fELF");
    // e_machine, little-endian at offset 18: 0xB7 is AArch64 (x86_64 would be 0x3E).
    assert_eq!(u16::from_le_bytes([header[18], header[19]]), 0xB7, "the bootstrap is not an aarch64 executable");

    let second = package(&app);
    assert_eq!(second["files"][0]["sha256"], asset["sha256"], "packaging the same code twice gave two zips");
}
