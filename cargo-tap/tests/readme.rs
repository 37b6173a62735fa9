//! The README's walk-through, run as written (an HTTP API, a queue worker and a daily
//! schedule, no raw resource): its `hello-orders` files are written beside
//! a checkout of tap (a link to this one), and its commands run from the app's directory
//! against the moto server the test command started (`TAP_AWS_ENDPOINT`). If the README's
//! files or commands stop working, this test fails; nothing in it restates them.
//!
//! Two lines are not run here, and the test says so instead of rewriting them: starting the
//! services (the test command already did) and `cargo install` (this test puts the binary
//! cargo just built first on `PATH`, which is what the install achieves). Commands that ask
//! a question get `--yes`, as in CI: the test has no terminal to answer on.

use std::path::{Path, PathBuf};
use std::process::Command;

const README: &str = include_str!("../../README.md");
const SECTION: &str = "### A first app crate, from `cargo build` to a deploy and back";

/// The walk-through's fenced blocks: (info string, body).
fn blocks() -> Vec<(String, String)> {
    let start = README.find(SECTION).expect("the README has no walk-through section");
    let section = &README[start + SECTION.len()..];
    let section = &section[..section.find("\n### ").or_else(|| section.find("\n## ")).unwrap_or(section.len())];
    let mut out = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
            out.push((info.to_owned(), body.join("\n") + "\n"));
        }
    }
    out
}

/// A file block names its path on its first line (`# hello-orders/Cargo.toml`,
/// `// hello-orders/src/stack.rs`).
fn file_path(body: &str) -> Option<&str> {
    let first = body.lines().next()?;
    first.strip_prefix("# ").or_else(|| first.strip_prefix("// ")).filter(|p| p.starts_with("hello-orders/"))
}

/// Runs the commands in one shell, as a user types them (an `export` carries over), each
/// announced by a marker line; returns each command with what it printed.
fn run(cwd: &Path, path: &str, commands: &[String]) -> Vec<(String, String)> {
    let script: String = commands.iter().map(|c| format!("echo '::: {}'\n{c}\n", c.replace('\'', ""))).collect();
    let out = Command::new("bash")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .args(["-c", &format!("set -euo pipefail\n{script}")])
        .current_dir(cwd)
        .env("PATH", path)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("AWS_PROFILE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "a README command failed (exit {:?}):\n{text}", out.status.code());
    String::from_utf8_lossy(&out.stdout)
        .split("::: ")
        .skip(1)
        .map(|chunk| {
            let (command, output) = chunk.split_once('\n').unwrap_or((chunk, ""));
            (command.to_owned(), output.to_owned())
        })
        .collect()
}

#[test]
fn the_readme_walk_through_deploys_and_deletes_a_fresh_app_crate() {
    let endpoint = std::env::var("TAP_AWS_ENDPOINT")
        .expect("TAP_AWS_ENDPOINT: start the services with scripts/services start (the README's test command does)");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // Outside this workspace (cargo would take the app for a stray member), kept between
    // runs so its target directory stays warm.
    let base: PathBuf = std::env::temp_dir().join("tap-readme-walk-through");
    std::fs::create_dir_all(&base).unwrap();
    let tap = base.join("tap");
    let _ = std::fs::remove_file(&tap);
    std::os::unix::fs::symlink(root, &tap).unwrap();
    let app = base.join("hello-orders");
    let _ = std::fs::remove_dir_all(app.join("src"));

    let blocks = blocks();
    let mut files = 0;
    for (_, body) in &blocks {
        if let Some(rel) = file_path(body) {
            let path = base.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, body).unwrap();
            files += 1;
        }
    }
    assert_eq!(files, 7, "the walk-through should show Cargo.toml, stack.rs, lib.rs, build.rs and the three functions");
    // The versions tap is tested with, so the app resolves the same dependency graph.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();

    let (_, commands) = blocks.iter().find(|(info, _)| info == "sh").expect("the walk-through has no commands");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cargo-tap")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let suffix_stack = "HelloOrders-dev";
    let mut script = Vec::new();
    // A line ending in `\` goes on on the next, as the shell reads it.
    let commands = commands.replace("\\\n", " ");
    for line in commands.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let command = line.split("  #").next().unwrap().trim();
        if command.contains("scripts/services") || command.starts_with("cargo install") {
            continue; // see the module comment
        }
        let asks = command.starts_with("cargo tap deploy") || command.starts_with("cargo tap delete");
        script.push(if asks { format!("{command} --yes") } else { command.to_owned() });
    }
    let ran = run(&app, &path, &script);
    let output = |prefix: &str| {
        &ran.iter().find(|(c, _)| c.starts_with(prefix)).unwrap_or_else(|| panic!("the README runs no `{prefix}`")).1
    };

    // `cargo build` wrote the template and the diagram where the README says.
    let written = app.join("target/tap/HelloOrders/ephemeral/template.json");
    let template: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&written).unwrap()).unwrap();
    assert!(template["Resources"]["Handler"]["Type"] == "AWS::Lambda::Function", "{template}");
    assert!(app.join("target/tap/HelloOrders/graph.mmd").exists());
    // The build's findings log: the walk-through's stack has none, and says so.
    let findings = output("cargo tap findings");
    assert!(findings.contains("0 error(s), 0 acknowledged"), "{findings}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(app.join("target/tap/HelloOrders/findings.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["properties"]["package"], "hello-orders", "{sarif}");
    // The deploy packaged the three functions, uploaded them and created the stack. moto
    // says CREATE_COMPLETE and skips the API, the schedule, the alarms, the queue policies
    // and the asynchronous settings: tap says INCOMPLETE and names each one, accepted
    // because the README's command names their types (without it, the deploy exits 1).
    let deployed = output("cargo tap deploy");
    assert!(deployed.contains("accepted, --allow-skipped names its type"), "{deployed}");
    assert!(deployed.contains("HelloOrders-dev: INCOMPLETE"), "{deployed}");
    assert!(deployed.contains("the endpoint said CREATE_COMPLETE, but has no record of"), "{deployed}");
    for missing in [
        "(AWS::ApiGatewayV2::Route)",
        "(AWS::Scheduler::Schedule)",
        "(AWS::CloudWatch::Alarm)",
        "(AWS::SQS::QueuePolicy)",
        "(AWS::Lambda::EventInvokeConfig)",
    ] {
        assert!(deployed.contains(missing), "{missing} not reported: {deployed}");
    }
    // Each function was built, zipped under its content hash and recorded for the stack.
    let here = app.join("target/tap/HelloOrders");
    let assets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(here.join("assets.json")).unwrap()).unwrap();
    let functions: Vec<&str> =
        assets["files"].as_array().unwrap().iter().map(|f| f["function"].as_str().unwrap()).collect();
    assert_eq!(functions, ["intake", "handler", "report"], "{assets}");
    for file in assets["files"].as_array().unwrap() {
        assert_eq!(file["architecture"].as_str(), Some("x86_64"), "{assets}");
        let zip = std::fs::read(here.join(file["path"].as_str().unwrap())).unwrap();
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(&zip).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(file["sha256"].as_str(), Some(digest.as_str()));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert_eq!(archive.file_names().collect::<Vec<_>>(), ["bootstrap"]);
        let mut elf = [0u8; 4];
        std::io::Read::read_exact(&mut archive.by_name("bootstrap").unwrap(), &mut elf).unwrap();
        assert_eq!(&elf, b"\x7fELF", "{} is not an executable", file["function"]);
    }
    // The delete plan named the queue, and the delete removed the stack.
    let plan = output("cargo tap plan-delete");
    assert!(plan.contains("Orders") && plan.contains(suffix_stack), "{plan}");
    assert!(output("cargo tap delete").contains("DELETE_COMPLETE"));
    let gone = Command::new(env!("CARGO_BIN_EXE_cargo-tap"))
        .args([
            "tap",
            "plan-delete",
            "--stack-name",
            suffix_stack,
            "--region",
            "us-east-1",
            "--endpoint-url",
            &endpoint,
        ])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    assert!(!gone.status.success() && String::from_utf8_lossy(&gone.stderr).contains("there is no stack"), "{gone:?}");
}
