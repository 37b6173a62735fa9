//! `cargo tap package`: every function of a stack as a Lambda asset for `provided.al2023`.
//! A `Bin` is built by cargo (natively for x86_64 on an x86_64 host; through cargo-lambda,
//! which cross-builds with zig, for arm64 or another host); a `Dir` is zipped as it is.
//! Zips are deterministic (fixed times and modes, sorted entries), named by their content
//! hash, and listed in `assets.json` with the template parameter each one fills.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::project::StackDir;
use crate::Fail;

/// How to build.
#[derive(clap::Args, Debug, Clone)]
pub struct Options {
    /// Cargo profile for `Bin` functions (Lambda wants `release`).
    #[arg(long, default_value = "release")]
    pub profile: String,
}

/// One packaged function.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub function: String,
    pub parameter: String,
    pub key: String,
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub architecture: String,
}

/// How a `Bin` function is built for `arch` on this host: `(program, args, binary path)`.
pub fn build_command(
    bin: &str,
    arch: &str,
    profile: &str,
    target_dir: &Path,
    host_arch: &str,
) -> (String, Vec<String>, PathBuf) {
    let profile_dir = match profile {
        "dev" | "test" => "debug",
        "release" | "bench" => "release",
        other => other,
    };
    let wants = if arch == "arm64" { "aarch64" } else { "x86_64" };
    if wants == host_arch {
        let args = vec!["build".into(), "--profile".into(), profile.into(), "--bin".into(), bin.into()];
        (std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()), args, target_dir.join(profile_dir).join(bin))
    } else {
        // cargo-lambda cross-builds with zig for the Lambda's glibc; its output is fixed.
        let mut args =
            vec!["lambda".into(), "build".into(), "--profile".into(), profile.into(), "--bin".into(), bin.into()];
        args.push(if arch == "arm64" { "--arm64".into() } else { "--x86-64".into() });
        ("cargo".into(), args, target_dir.join("lambda").join(bin).join("bootstrap"))
    }
}

/// The files of a zip: `(name in the zip, bytes, executable)`.
type Entries = Vec<(String, Vec<u8>, bool)>;

/// Deterministic zip bytes: entries sorted, times fixed at 1980-01-01, modes 755/644.
pub fn zip(entries: &Entries) -> Result<Vec<u8>, Fail> {
    let mut sorted: Vec<&(String, Vec<u8>, bool)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, bytes, exec) in sorted {
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(9))
                .last_modified_time(zip::DateTime::default())
                .unix_permissions(if *exec { 0o755 } else { 0o644 });
            z.start_file(name.as_str(), opts).map_err(|e| Fail::new(format!("zip: {e}")))?;
            z.write_all(bytes).map_err(|e| Fail::new(format!("zip: {e}")))?;
        }
        z.finish().map_err(|e| Fail::new(format!("zip: {e}")))?;
    }
    Ok(buf.into_inner())
}

fn dir_entries(dir: &Path) -> Result<Entries, Fail> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| Fail::new(format!("cannot read {}: {e}", d.display())))? {
            let p = e.map_err(|e| Fail::new(e.to_string()))?.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&p).map_err(|e| Fail::new(format!("cannot read {}: {e}", p.display())))?;
            #[cfg(unix)]
            let exec = std::os::unix::fs::PermissionsExt::mode(
                &p.metadata().map_err(|e| Fail::new(e.to_string()))?.permissions(),
            ) & 0o111
                != 0
                || name == "bootstrap";
            #[cfg(not(unix))]
            let exec = name == "bootstrap";
            out.push((name, bytes, exec));
        }
    }
    if !out.iter().any(|(n, _, _)| n == "bootstrap") {
        return Err(Fail::new(format!(
            "{} has no `bootstrap`: a provided.al2023 function starts from one",
            dir.display()
        )));
    }
    Ok(out)
}

fn host_arch() -> &'static str {
    std::env::consts::ARCH
}

/// Packages every function of `stack`, calling `progress` before each.
pub fn package(stack: &StackDir, opts: &Options, mut progress: impl FnMut(&str)) -> Result<Vec<Asset>, Fail> {
    let assets_dir = stack.dir.join("assets");
    std::fs::create_dir_all(&assets_dir)
        .map_err(|e| Fail::new(format!("cannot create {}: {e}", assets_dir.display())))?;
    let mut out = Vec::new();
    for f in stack.functions() {
        let binding = f["binding"].as_str().unwrap_or("function").to_owned();
        let arch = f["architecture"].as_str().unwrap_or("x86_64").to_owned();
        progress(&binding);
        let entries: Entries = if let Some(bin) = f["code"]["bin"].as_str() {
            let (program, args, binary) = build_command(bin, &arch, &opts.profile, &stack.target_dir, host_arch());
            let mut cmd = Command::new(&program);
            cmd.args(&args);
            if let Some(m) = stack.manifest["manifest_dir"].as_str().filter(|m| !m.is_empty()) {
                cmd.current_dir(m);
            }
            let status = cmd.status().map_err(|e| match (e.kind(), program.as_str()) {
                (std::io::ErrorKind::NotFound, "cargo") if args[0] == "lambda" => Fail::new(
                    "building for another architecture needs cargo-lambda and zig: `pip install cargo-lambda ziglang`",
                ),
                _ => Fail::new(format!("cannot run {program}: {e}")),
            })?;
            if !status.success() {
                return Err(Fail::new(format!("building `{bin}` for {arch} failed: `{program} {}`", args.join(" "))));
            }
            let bytes = std::fs::read(&binary)
                .map_err(|e| Fail::new(format!("cannot read the built binary {}: {e}", binary.display())))?;
            vec![("bootstrap".to_owned(), bytes, true)]
        } else if let Some(dir) = f["code"]["dir"].as_str() {
            dir_entries(Path::new(dir))?
        } else {
            return Err(Fail::new(format!("function `{binding}` has inline code, which tap refuses (TAP-CODE-001)")));
        };
        let bytes = zip(&entries)?;
        let digest = format!("{:x}", Sha256::digest(&bytes));
        let name = format!("{}-{}.zip", binding.replace('_', "-"), &digest[..16]);
        let path = assets_dir.join(&name);
        tap_core::write_if_changed(&path, &bytes)
            .map_err(|e| Fail::new(format!("cannot write {}: {e}", path.display())))?;
        out.push(Asset {
            function: binding,
            parameter: f["code_parameter"].as_str().unwrap_or_default().to_owned(),
            key: format!("assets/{name}"),
            path,
            sha256: digest,
            bytes: bytes.len() as u64,
            architecture: arch,
        });
    }
    let manifest = manifest(stack, &out);
    let text = serde_json::to_string_pretty(&manifest).expect("JSON") + "\n";
    tap_core::write_if_changed(&stack.dir.join("assets.json"), text.as_bytes())
        .map_err(|e| Fail::new(format!("cannot write assets.json: {e}")))?;
    Ok(out)
}

/// `assets.json`: the parameters a deployment passes, and each file.
pub fn manifest(stack: &StackDir, assets: &[Asset]) -> Json {
    json!({
        "stack": stack.name,
        "parameters": assets.iter().map(|a| (a.parameter.clone(), json!(a.key))).collect::<serde_json::Map<_, _>>(),
        "files": assets.iter().map(|a| json!({
            "function": a.function,
            "parameter": a.parameter,
            "key": a.key,
            "path": a.path.strip_prefix(&stack.dir).unwrap_or(&a.path),
            "sha256": a.sha256,
            "bytes": a.bytes,
            "runtime": "provided.al2023",
            "architecture": a.architecture,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_byte_for_byte_reproducible_whatever_the_entry_order() {
        let a: Entries = vec![
            ("bootstrap".into(), b"#!/bin/sh\necho hi\n".to_vec(), true),
            ("data/x.json".into(), b"{}".to_vec(), false),
        ];
        let mut b = a.clone();
        b.reverse();
        let (za, zb) = (zip(&a).unwrap(), zip(&b).unwrap());
        assert_eq!(za, zb);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(za)).unwrap();
        let boot = archive.by_name("bootstrap").unwrap();
        assert_eq!(boot.unix_mode().map(|m| m & 0o777), Some(0o755));
    }

    #[test]
    fn arm64_goes_through_cargo_lambda_and_native_through_cargo() {
        let t = Path::new("/t");
        let (p, args, out) = build_command("api", "x86_64", "release", t, "x86_64");
        assert!(
            p.ends_with("cargo")
                && args == ["build", "--profile", "release", "--bin", "api"]
                && out == t.join("release/api")
        );
        let (p, args, out) = build_command("api", "arm64", "release", t, "x86_64");
        assert_eq!((p.as_str(), args.last().map(String::as_str)), ("cargo", Some("--arm64")));
        assert_eq!(args[..2], ["lambda", "build"]);
        assert_eq!(out, t.join("lambda/api/bootstrap"));
        let (_, _, out) = build_command("api", "x86_64", "dev", t, "x86_64");
        assert_eq!(out, t.join("debug/api"));
    }
}
