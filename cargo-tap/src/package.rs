//! `cargo tap package`: every function of a stack as a Lambda asset for `provided.al2023`.
//! A `Bin` is built by cargo (natively for x86_64 on an x86_64 host; through cargo-lambda,
//! which cross-builds with zig, for arm64 or another host); a `Dir` is zipped as it is.
//! Zips are deterministic (fixed times and modes, sorted entries), named by their content
//! hash, and listed in `assets.json` with the template parameter each one fills.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tap_core::kinds::function::{Architecture, Runtime};
use tap_core::manifest::CodeSource;

use crate::project::StackDir;

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
    pub architecture: &'static str,
}

/// How a `Bin` function is built for `arch` on this host: `(program, args, binary path)`.
pub fn build_command(
    bin: &str,
    arch: Architecture,
    profile: &str,
    target_dir: &Path,
    host_arch: &str,
) -> (String, Vec<String>, PathBuf) {
    let profile_dir = match profile {
        "dev" | "test" => "debug",
        "release" | "bench" => "release",
        other => other,
    };
    let wants = match arch {
        Architecture::Arm64 => "aarch64",
        Architecture::X86_64 => "x86_64",
    };
    if wants == host_arch {
        let args = vec!["build".into(), "--profile".into(), profile.into(), "--bin".into(), bin.into()];
        (std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()), args, target_dir.join(profile_dir).join(bin))
    } else {
        // cargo-lambda cross-builds with zig for the Lambda's glibc; its output is fixed.
        let mut args =
            vec!["lambda".into(), "build".into(), "--profile".into(), profile.into(), "--bin".into(), bin.into()];
        args.push(if arch == Architecture::Arm64 { "--arm64".into() } else { "--x86-64".into() });
        ("cargo".into(), args, target_dir.join("lambda").join(bin).join("bootstrap"))
    }
}

/// The files of a zip: `(name in the zip, bytes, executable)`.
type Entries = Vec<(String, Vec<u8>, bool)>;

/// Deterministic zip bytes: entries sorted, times fixed at 1980-01-01, modes 755/644.
pub fn zip(entries: &Entries) -> anyhow::Result<Vec<u8>> {
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
            z.start_file(name.as_str(), opts).with_context(|| format!("cannot zip {name}"))?;
            z.write_all(bytes).with_context(|| format!("cannot zip {name}"))?;
        }
        z.finish().context("cannot finish the zip")?;
    }
    Ok(buf.into_inner())
}

fn dir_entries(dir: &Path) -> anyhow::Result<Entries> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))? {
            let p = e.with_context(|| format!("cannot list {}", d.display()))?.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
            #[cfg(unix)]
            let exec = std::os::unix::fs::PermissionsExt::mode(
                &p.metadata().with_context(|| format!("cannot read {}", p.display()))?.permissions(),
            ) & 0o111
                != 0
                || name == "bootstrap";
            #[cfg(not(unix))]
            let exec = name == "bootstrap";
            out.push((name, bytes, exec));
        }
    }
    if !out.iter().any(|(n, _, _)| n == "bootstrap") {
        bail!("{} has no `bootstrap`: a provided.al2023 function starts from one", dir.display());
    }
    Ok(out)
}

fn host_arch() -> &'static str {
    std::env::consts::ARCH
}

/// Packages every function of `stack`, calling `progress` before each.
pub fn package(stack: &StackDir, opts: &Options, mut progress: impl FnMut(&str)) -> anyhow::Result<Vec<Asset>> {
    let assets_dir = stack.dir.join("assets");
    std::fs::create_dir_all(&assets_dir).with_context(|| format!("cannot create {}", assets_dir.display()))?;
    let mut out = Vec::new();
    let bins: Vec<&str> = stack
        .functions()
        .iter()
        .filter_map(|f| match &f.code {
            CodeSource::Bin(b) => Some(b.as_str()),
            _ => None,
        })
        .collect();
    if !bins.is_empty() {
        // Said before it starts: the first optimised build of a crate that uses the AWS SDK
        // takes minutes, and a silent wait reads as a hang.
        eprintln!("{}", build_notice(&bins, &opts.profile));
    }
    for f in stack.functions() {
        let name = f.name().to_owned();
        progress(&name);
        let entries: Entries = match &f.code {
            CodeSource::Bin(bin) => vec![("bootstrap".to_owned(), build(stack, opts, bin, f.architecture)?, true)],
            CodeSource::Dir(dir) => dir_entries(dir)?,
            CodeSource::Inline => bail!("function `{name}` has inline code, which tap refuses (TAP-CODE-001)"),
        };
        let bytes = zip(&entries)?;
        let digest = format!("{:x}", Sha256::digest(&bytes));
        let file = format!("{}-{}.zip", name.replace('_', "-"), &digest[..16]);
        let path = assets_dir.join(&file);
        tap_core::write_if_changed(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
        out.push(Asset {
            function: name,
            parameter: f.code_parameter.clone(),
            key: format!("assets/{file}"),
            path,
            sha256: digest,
            bytes: bytes.len() as u64,
            architecture: f.architecture.cfn(),
        });
    }
    let text = serde_json::to_string_pretty(&manifest(stack, &out)).expect("a manifest always serialises") + "\n";
    let path = stack.dir.join("assets.json");
    tap_core::write_if_changed(&path, text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(out)
}

/// What packaging is about to build, and what the first build costs.
pub fn build_notice(bins: &[&str], profile: &str) -> String {
    let what = format!(
        "building {} function binar{} ({}) with `--profile {profile}`",
        bins.len(),
        if bins.len() == 1 { "y" } else { "ies" },
        bins.join(", ")
    );
    if matches!(profile, "release" | "bench") {
        format!("{what}: the first optimised build of a crate that uses the AWS SDK takes several minutes (8 to 14 on two cores); later ones rebuild only what changed. For a quick trial, `--profile dev` builds in about a minute and runs slower.")
    } else {
        format!("{what}: unoptimised, for a trial; deploy with the default `--profile release` for production.")
    }
}

/// Builds binary `bin` for `arch` and returns its bytes.
fn build(stack: &StackDir, opts: &Options, bin: &str, arch: Architecture) -> anyhow::Result<Vec<u8>> {
    let (program, args, binary) = build_command(bin, arch, &opts.profile, &stack.target_dir, host_arch());
    let mut cmd = Command::new(&program);
    // What the build prints goes to stderr: stdout is the report (`--json`).
    cmd.args(&args).stdout(std::process::Stdio::from(std::io::stderr()));
    if let Some(m) = stack.manifest.as_ref().map(|m| &m.manifest_dir).filter(|m| !m.as_os_str().is_empty()) {
        cmd.current_dir(m);
    }
    let status = match cmd.status() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && args[0] == "lambda" => {
            bail!("building for another architecture needs cargo-lambda and zig: `pip install cargo-lambda ziglang`")
        }
        other => other.with_context(|| format!("cannot run {program}"))?,
    };
    if !status.success() {
        bail!("building `{bin}` for {} failed: `{program} {}`", arch.cfn(), args.join(" "));
    }
    std::fs::read(&binary).with_context(|| format!("cannot read the built binary {}", binary.display()))
}

/// `assets.json`: the parameters a deployment passes, and each file.
#[derive(Debug, Serialize)]
pub struct AssetsManifest<'a> {
    pub stack: &'a str,
    /// Template parameter -> the asset's S3 key.
    pub parameters: std::collections::BTreeMap<&'a str, &'a str>,
    pub files: Vec<AssetFile<'a>>,
}

#[derive(Debug, Serialize)]
pub struct AssetFile<'a> {
    pub function: &'a str,
    pub parameter: &'a str,
    pub key: &'a str,
    /// Relative to the stack's directory.
    pub path: &'a Path,
    pub sha256: &'a str,
    pub bytes: u64,
    pub runtime: Runtime,
    pub architecture: &'a str,
}

pub fn manifest<'a>(stack: &'a StackDir, assets: &'a [Asset]) -> AssetsManifest<'a> {
    AssetsManifest {
        stack: &stack.name,
        parameters: assets.iter().map(|a| (a.parameter.as_str(), a.key.as_str())).collect(),
        files: assets
            .iter()
            .map(|a| AssetFile {
                function: &a.function,
                parameter: &a.parameter,
                key: &a.key,
                path: a.path.strip_prefix(&stack.dir).unwrap_or(&a.path),
                sha256: &a.sha256,
                bytes: a.bytes,
                runtime: Runtime::ProvidedAl2023,
                architecture: a.architecture,
            })
            .collect(),
    }
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
        assert!(build_notice(&["api"], "release").contains("several minutes"));
        assert!(build_notice(&["api", "worker"], "dev")
            .starts_with("building 2 function binaries (api, worker) with `--profile dev`"));
        let (p, args, out) = build_command("api", Architecture::X86_64, "release", t, "x86_64");
        assert!(
            p.ends_with("cargo")
                && args == ["build", "--profile", "release", "--bin", "api"]
                && out == t.join("release/api")
        );
        let (p, args, out) = build_command("api", Architecture::Arm64, "release", t, "x86_64");
        assert_eq!((p.as_str(), args.last().map(String::as_str)), ("cargo", Some("--arm64")));
        assert_eq!(args[..2], ["lambda", "build"]);
        assert_eq!(out, t.join("lambda/api/bootstrap"));
        let (_, _, out) = build_command("api", Architecture::X86_64, "dev", t, "x86_64");
        assert_eq!(out, t.join("debug/api"));
    }
}
