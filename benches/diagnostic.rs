//! Time from a one-line mistake to its diagnostic, whole process, against AWS CDK (not a
//! test): `cargo bench --bench diagnostic`. Needs `node` and `npm` (CDK and cdk-nag are
//! installed from the npm registry into `target/bench-cdk` on the first run).
//!
//! Three ways of learning about a mistake in the product-catalog stack, each run five
//! times after the same kind of one-line edit, median reported:
//!
//! 1. AWS CDK: `node product-catalog.js` (`benches/cdk/`, the same stack in CDK's
//!    JavaScript, so no TypeScript compile is counted against it) synthesises and runs
//!    cdk-nag's AwsSolutions pack, as `cdk synth` does. The mistake: the archive bucket's
//!    `enforceSSL` dropped, reported as AwsSolutions-S10.
//! 2. tap, the product-catalog crate as it is: a copy of `tap-stack` (library, processor
//!    binaries, build script, SQL) in a workspace of its own, `cargo check` as a user runs
//!    it (incremental, as the dev profile has it). The mistake: the stream's `{suffix}`
//!    dropped, reported as TAP-NAME-001.
//! 3. tap, the stack in a crate of its own: the same `stack.rs` as the whole library of a
//!    crate that depends on tap alone (with an empty binary of the function's name).
//!
//! Every figure and ratio is printed from this one run. With `TAP_BENCH_SMOKE` set (the
//! test command), each part runs once: CDK only where its modules are installed already,
//! and the product-catalog copy's workspace is loaded (`cargo metadata`) rather than
//! checked, so a benchmark that no longer runs fails the tests without the test command
//! building tap-stack's dependencies a second time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod support;

use support::{crate_with, ms, smoke, target_dir, ROOT};

/// Runs per figure: 5, or 1 in smoke mode.
fn runs() -> usize {
    if smoke() {
        1
    } else {
        5
    }
}

fn root() -> &'static Path {
    Path::new(ROOT)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One timed process: wall time and what it printed (stdout then stderr).
fn timed(cmd: &mut Command) -> (Duration, String) {
    let start = Instant::now();
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let wall = start.elapsed();
    (wall, format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// What one kind of mistake cost, median of the runs: to its diagnostic (`mistake`), and from
/// the fix to a green run (`fixed`), with the diagnostic's line.
struct Timed {
    mistake: Duration,
    fixed: Duration,
    diagnostic: String,
}

/// Runs `run` with `file` holding `mistake`, then with `original` restored (the fix), each
/// run's output checked (`needle` reported, then `green` again), as many times as
/// [`runs`] says.
fn time_mistake(
    file: &Path,
    original: &str,
    mistake: &str,
    needle: &str,
    green: impl Fn(&str) -> bool,
    mut run: impl FnMut() -> (Duration, String),
) -> Timed {
    assert_ne!(original, mistake, "the edit did not apply to {}", file.display());
    let (mut mistakes, mut fixes) = (Vec::new(), Vec::new());
    let mut seen = String::new();
    for _ in 0..runs() {
        std::fs::write(file, mistake).unwrap();
        let (wall, out) = run();
        seen = out.lines().find(|l| l.contains(needle)).unwrap_or("").trim().to_owned();
        assert!(!seen.is_empty(), "the mistake was not reported ({needle} missing):\n{out}");
        mistakes.push(wall);
        std::fs::write(file, original).unwrap();
        let (wall, out) = run();
        assert!(green(&out), "the fix did not turn the run green:\n{out}");
        fixes.push(wall);
    }
    Timed { mistake: median(mistakes), fixed: median(fixes), diagnostic: seen }
}

/// A clean re-run (the file touched, nothing changed), RUNS times, median.
fn time_clean(file: &Path, original: &str, mut run: impl FnMut() -> (Duration, String)) -> Duration {
    median(
        (0..runs())
            .map(|_| {
                std::fs::write(file, original).unwrap();
                run().0
            })
            .collect(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A workspace of its own holding copies of `crates` (directories under the root), with
/// the root's `[workspace.package]`, `[workspace.dependencies]` (paths made absolute) and
/// profiles, so the copies build exactly as they do here, and the root's lock file.
fn app_workspace(name: &str, crates: &[(&str, &str)]) -> PathBuf {
    let dir = root().join("target/bench-stacks").join(name);
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut inherited = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            // Every table a member inherits from (`lints.workspace = true` too).
            keep = line == "[workspace.package]"
                || line == "[workspace.dependencies]"
                || line.starts_with("[workspace.lints")
                || line.starts_with("[profile.");
        }
        if keep {
            inherited.push_str(&line.replace("path = \"", &format!("path = \"{ROOT}/")));
            inherited.push('\n');
        }
    }
    let members: Vec<String> = crates.iter().map(|(_, to)| format!("{to:?}")).collect();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nmembers = [{}]\nresolver = \"2\"\n\n{inherited}", members.join(", ")),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    for (from, to) in crates {
        let _ = std::fs::remove_dir_all(dir.join(to));
        copy_dir(&root().join(from), &dir.join(to));
        let toml = dir.join(to).join("Cargo.toml");
        let text = std::fs::read_to_string(&toml).unwrap().replace("path = \"..\"", &format!("path = {ROOT:?}"));
        std::fs::write(toml, text).unwrap();
    }
    dir
}

fn cargo_check(dir: &Path) -> impl FnMut() -> (Duration, String) + '_ {
    move || {
        timed(
            Command::new(env!("CARGO"))
                .args(["check", "--offline", "--quiet"])
                .current_dir(dir)
                .env("CARGO_TARGET_DIR", target_dir())
                .env_remove("RUSTC_WORKSPACE_WRAPPER"),
        )
    }
}

/// Whether the workspace at `dir` loads (its manifests and lock file), for smoke mode.
fn loads(dir: &Path) -> Result<(), String> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--offline", "--format-version", "1", "--no-deps"])
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    out.status.success().then_some(()).ok_or_else(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A `cargo check` that passed.
fn clean(out: &str) -> bool {
    !out.contains("error")
}

fn main() {
    // 1. AWS CDK synth + cdk-nag.
    let cdk = root().join("target/bench-cdk");
    std::fs::create_dir_all(&cdk).unwrap();
    for f in ["package.json", "product-catalog.js"] {
        std::fs::copy(root().join("benches/cdk").join(f), cdk.join(f)).unwrap();
    }
    let installed = cdk.join("node_modules/cdk-nag").exists();
    if !installed && !smoke() {
        eprintln!("installing aws-cdk-lib, constructs and cdk-nag from the npm registry…");
        let status =
            Command::new("npm").args(["install", "--no-audit", "--no-fund", "--silent"]).current_dir(&cdk).status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "`npm install` failed in {}: this benchmark needs node and npm",
            cdk.display()
        );
    }
    let cdk_times = if installed || !smoke() {
        let node = || timed(Command::new("node").arg("product-catalog.js").current_dir(&cdk));
        let (first, out) = node();
        assert!(out.contains("no S10"), "the CDK stack did not synthesise:\n{out}");
        let script = cdk.join("product-catalog.js");
        let js = std::fs::read_to_string(&script).unwrap();
        let cdk_clean = time_clean(&script, &js, node);
        // The archive bucket's line (the queues' `enforceSSL` share a line with other props).
        let js_mistake = js.replacen("\n  enforceSSL: true,\n", "\n  enforceSSL: false,\n", 1);
        let timed = time_mistake(&script, &js, &js_mistake, "AwsSolutions-S10", |o| o.contains("no S10"), node);
        eprintln!("cdk first run (cold file cache) {:.0} ms", ms(first));
        Some((cdk_clean, timed))
    } else {
        eprintln!("smoke: CDK's modules are not installed in {}: its part is skipped", cdk.display());
        None
    };

    // 2. The product-catalog crate as it is, build script included.
    let app = app_workspace("catalog-app", &[("tap-stack", "tap-stack")]);
    let stack_file = app.join("tap-stack/src/stack.rs");
    let stack_src = std::fs::read_to_string(&stack_file).unwrap();
    let mistake = stack_src.replace("\"inventory-updates-{suffix}\"", "\"inventory-updates-stream\"");
    assert_ne!(mistake, stack_src, "the mistake's line is not in tap-stack's stack");
    if let Err(why) = loads(&app) {
        panic!("the copy of tap-stack's workspace does not load:\n{why}");
    }
    let app_times = if smoke() {
        None
    } else {
        eprintln!("checking the copy of tap-stack once (the first run builds its dependencies)…");
        let (_, out) = cargo_check(&app)();
        assert!(!out.contains("error"), "the copy of tap-stack does not check:\n{out}");
        let app_clean = time_clean(&stack_file, &stack_src, cargo_check(&app));
        let timed = time_mistake(&stack_file, &stack_src, &mistake, "TAP-NAME-001", clean, cargo_check(&app));
        Some((app_clean, timed))
    };

    // 3. The stack alone in its own crate, depending on tap only.
    let light = crate_with("catalog-stack", "");
    // The stack names its functions' binaries, which TAP-CODE-001 looks for in the same
    // crate: empty ones stand in for them.
    for bin in ["inventory-processor", "db-setup"] {
        std::fs::write(light.join(format!("src/bin/{bin}.rs")), "fn main() {}\n").unwrap();
    }
    std::fs::create_dir_all(light.join("sql")).unwrap();
    std::fs::copy(root().join("tap-stack/sql/schema.sql"), light.join("sql/schema.sql")).unwrap();
    // The stack keeps durable deployments: its lock of kept identities goes beside it.
    let lock = "ProductCatalog.tap.lock";
    std::fs::copy(root().join("tap-stack/src").join(lock), light.join("src").join(lock)).unwrap();
    let light_file = light.join("src/lib.rs");
    std::fs::write(&light_file, &stack_src).unwrap();
    let (_, out) = cargo_check(&light)();
    assert!(!out.contains("error"), "the stack crate does not check:\n{out}");
    let light_clean = time_clean(&light_file, &stack_src, cargo_check(&light));
    let light_timed = time_mistake(&light_file, &stack_src, &mistake, "TAP-NAME-001", clean, cargo_check(&light));

    println!("## one-line mistake to its diagnostic, and its fix to green, whole process (median of {})\n", runs());
    println!("| | clean re-run | after the mistake | mistake vs CDK | after the fix (green) | fix vs CDK |");
    println!("|---|---:|---:|---:|---:|---:|");
    let cdk = cdk_times.as_ref().map(|(clean, t)| {
        println!(
            "| AWS CDK 2.276 synth + cdk-nag 3.0 AwsSolutions (`node product-catalog.js`) | {:.0} ms | {:.0} ms | 1 | {:.0} ms | 1 |",
            ms(*clean),
            ms(t.mistake),
            ms(t.fixed)
        );
        (t.mistake, t.fixed)
    });
    let vs = |t: Duration, of: fn((Duration, Duration)) -> Duration| {
        cdk.map_or("(no CDK run)".to_owned(), |c| format!("{:.3}", ms(t) / ms(of(c))))
    };
    let rows = [
        ("tap: `cargo check` of the product-catalog crate as it is (build script, processor)", app_times.as_ref()),
        ("tap: `cargo check` of the stack alone in its own crate", Some(&(light_clean, light_timed))),
    ];
    for (what, times) in rows {
        if let Some((clean, t)) = times {
            println!(
                "| {what} | {:.0} ms | {:.0} ms | {} | {:.0} ms | {} |",
                ms(*clean),
                ms(t.mistake),
                vs(t.mistake, |c| c.0),
                ms(t.fixed),
                vs(t.fixed, |c| c.1)
            );
        }
    }
    let said = |t: Option<&Timed>| t.map_or("(not run)".to_owned(), |t| format!("`{}`", t.diagnostic));
    println!(
        "\ndiagnostics: CDK {}; tap (crate) {}; tap (stack crate) {}",
        said(cdk_times.as_ref().map(|t| &t.1)),
        said(app_times.as_ref().map(|t| &t.1)),
        said(rows[1].1.map(|t| &t.1))
    );
}
