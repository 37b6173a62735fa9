//! Macro cost, measured (not a test): `cargo bench --bench macro_cost`.
//!
//! 1. Stacks of 10, 100 and 1000 generated resources: the macro's own time (it reports
//!    parse + check + codegen when `TAP_MACRO_TIMING` is set) and the `cargo check` time of
//!    the crate against the same crate without the stack.
//! 2. The time from a grant the code needs taken away to its diagnostic (TAP-IAM-003): a
//!    copy of the example worker, with tap's `aws` feature, its grant `results.write`
//!    changed to `results.read`, against a no-op re-check. (A mistake in the stack itself,
//!    against AWS CDK: `cargo bench --bench diagnostic`.)
//!
//! Everything is printed as ratios from this one run; each time is the best of 3.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod support;

use support::{crate_with, ms, smoke, target_dir, ROOT};

fn crate_dir(name: &str) -> PathBuf {
    crate_with(name, "")
}

/// `n` resources: queue + output pairs, every one checked by the naming, removal,
/// encryption and output rules, and (a quarter of them) raw event bus + rule pairs.
fn generated_stack(n: usize) -> String {
    let mut s = String::from("use tap::prelude::*;\n\n#[stack(name = \"Generated\")]\npub fn generated() {\n");
    // Curated and raw kinds mixed: every fourth pair is an EventBridge bus and a rule on it
    // (raw resources, checked against their registry schemas).
    for i in 0..n / 2 {
        if i % 4 == 3 {
            s.push_str(&format!(
                "    let b{i} = resource!(AWS::Events::EventBus {{ Name: \"b{i}-{{suffix}}\" }});\n    resource!(AWS::Events::Rule {{ Name: \"r{i}-{{suffix}}\", EventBusName: b{i}, EventPattern: \"{{}}\", State: \"ENABLED\" }});\n"
            ));
        } else {
            s.push_str(&format!(
                "    let q{i} = resource!(Queue {{ name: \"q{i}-{{suffix}}\", encryption: SqsManaged, retention_days: 4, removal: Destroy }});\n    resource!(Output {{ name: \"Q{i}Url\", value: q{i}.url }});\n"
            ));
        }
    }
    s.push_str("}\n");
    s
}

/// `n` written resources as an app of two stacks: `n / 2` queues in the data stack, and in
/// the service stack `n / 2` outputs each reading a data stack queue (`data::q7.url`), so the
/// link adds an export to one stack and an import to the other for every second resource.
fn generated_app(n: usize) -> String {
    let mut data = String::new();
    let mut service = String::new();
    for i in 0..n / 2 {
        data.push_str(&format!(
            "        let q{i} = resource!(Queue {{ name: \"q{i}-{{suffix}}\", encryption: SqsManaged, retention_days: 4, removal: Destroy }});\n"
        ));
        service.push_str(&format!("        resource!(Output {{ name: \"Q{i}Url\", value: data::q{i}.url }});\n"));
    }
    format!(
        "#[tap::app]\npub mod generated {{\n    #[stack(name = \"GenData\")]\n    pub fn data() {{\n{data}    }}\n\n    #[stack(name = \"GenService\")]\n    pub fn service() {{\n{service}    }}\n}}\n"
    )
}

/// `n` resources made of `n / 2` instances of one component (a queue and its output),
/// declared in the same crate.
fn generated_components(n: usize) -> String {
    let mut s = String::from(
        "use tap::prelude::*;\n\n#[component]\npub fn pair(name: Name) {\n    let q = resource!(Queue { name: \"{name}-{suffix}\", encryption: SqsManaged, retention_days: 4, removal: Destroy });\n    resource!(Output { name: \"{name}-url\", value: q.url });\n}\n\n#[stack(name = \"Generated\")]\npub fn generated() {\n",
    );
    for i in 0..n / 2 {
        s.push_str(&format!("    let c{i} = component!(pair {{ name: \"q{i}\" }});\n"));
    }
    s.push_str("}\n");
    s
}

struct Check {
    wall: Duration,
    macro_micros: u64,
    stderr: String,
}

fn check(dir: &Path, lib: &str) -> Check {
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    let start = Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(["check", "--lib", "--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("TAP_MACRO_TIMING", "1")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .unwrap();
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let macro_micros =
        stderr.lines().filter_map(|l| l.split("micros=").nth(1)).filter_map(|v| v.trim().parse::<u64>().ok()).sum();
    Check { wall, macro_micros, stderr }
}

/// Runs per figure: 3, or 1 in smoke mode.
fn runs() -> usize {
    if smoke() {
        1
    } else {
        3
    }
}

fn best_of(dir: &Path, lib: &str) -> Check {
    let mut best: Option<Check> = None;
    for _ in 0..runs() {
        let c = check(dir, lib);
        if best.as_ref().is_none_or(|b| c.wall < b.wall) {
            best = Some(c);
        }
    }
    best.unwrap()
}

fn main() {
    let dir = crate_dir("tap-bench-generated");
    check(&dir, "pub fn empty() {}\n"); // warm the dependencies
    println!("## macro cost (cargo check, best of 3, CARGO_INCREMENTAL=0)\n");
    println!("| resources | macro (parse+check+codegen) | macro per resource | cargo check with stack | without stack | ratio |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut per_resource = Vec::new();
    // Smoke mode: one size, small, so every table below is still built and checked.
    let sizes: &[usize] = if smoke() { &[10] } else { &[10, 100, 1000] };
    let big = *sizes.last().unwrap();
    for &n in sizes {
        let without = best_of(&dir, "pub fn empty() {}\n");
        let with = best_of(&dir, &generated_stack(n));
        assert!(with.stderr.contains(&format!("resources={n}")), "the stack did not expand:\n{}", with.stderr);
        let macro_ms = with.macro_micros as f64 / 1e3;
        per_resource.push(macro_ms / n as f64);
        println!(
            "| {n} | {macro_ms:.1} ms | {:.1} µs | {:.0} ms | {:.0} ms | {:.2}× |",
            macro_ms * 1e3 / n as f64,
            ms(with.wall),
            ms(without.wall),
            ms(with.wall) / ms(without.wall)
        );
    }
    if let [.., at_100, at_1000] = per_resource[..] {
        println!("\ngrowth: macro time per resource at 1000 is {:.2}× that at 100 (1.0× = linear)\n", at_1000 / at_100);
    }

    // The same count made of component instances: the chain that gathers the declaration,
    // and each instance expanded before the check.
    let made = best_of(&dir, &generated_components(big));
    assert!(made.stderr.contains(&format!("resources={big}")), "the components did not expand:\n{}", made.stderr);
    let made_ms = made.macro_micros as f64 / 1e3;
    println!("## {big} resources made of {} instances of one component\n", big / 2);
    println!("| resources | macro (expansion + check + codegen) | cargo check | one stack of {big} written out: macro | ratio |");
    println!("|---:|---:|---:|---:|---:|");
    let single = best_of(&dir, &generated_stack(big));
    let single_ms = single.macro_micros as f64 / 1e3;
    println!(
        "| {big} | {made_ms:.1} ms | {:.0} ms | {single_ms:.1} ms | {:.2}× |\n",
        ms(made.wall),
        made_ms / single_ms
    );

    // The same count written as an app whose stacks reference each other: the link stage,
    // and the export and import it adds for each reference (twice the resources checked).
    let app = best_of(&dir, &generated_app(big));
    let service = format!("stack=GenService resources={big}");
    assert!(app.stderr.contains(&service), "the app did not expand:\n{}", app.stderr);
    let single = best_of(&dir, &generated_stack(big));
    let (app_ms, single_ms) = (app.macro_micros as f64 / 1e3, single.macro_micros as f64 / 1e3);
    println!("## an app of two stacks, {big} resources written, every second one a reference across\n");
    println!(
        "| written | checked after the link | macro (both stacks) | cargo check | one stack of {big}: macro | ratio |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {big} | {} | {app_ms:.1} ms | {:.0} ms | {single_ms:.1} ms | {:.2}× |\n",
        2 * big,
        ms(app.wall),
        app_ms / single_ms
    );

    // A grant the code needs, taken away: the example worker's `results.write` becomes
    // `results.read`; its `put_object` call no longer type-checks.
    let example = Path::new(ROOT).join("examples/sqs-worker/src");
    let dir = crate_with(
        "tap-bench-grant",
        "aws-config = { version = \"1\", default-features = false, features = [\"rt-tokio\", \"behavior-version-latest\", \"default-https-client\"] }\n\
         aws-sdk-s3 = { version = \"1\", default-features = false, features = [\"rt-tokio\", \"behavior-version-latest\", \"default-https-client\"] }\n\
         aws-sdk-sqs = { version = \"1\", default-features = false, features = [\"rt-tokio\", \"behavior-version-latest\", \"default-https-client\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"time\"] }\n",
    );
    let stack_src = std::fs::read_to_string(example.join("stack.rs")).unwrap();
    {
        let f = "local.rs";
        std::fs::copy(example.join(f), dir.join("src").join(f)).unwrap();
    }
    std::fs::write(dir.join("src/bin/worker.rs"), "fn main() {}\n").unwrap();
    // The library as the example has it, without the build script's template path.
    let lib = std::fs::read_to_string(example.join("lib.rs")).unwrap().replace("env!(\"TAP_TEMPLATE\")", "\"\"");
    std::fs::write(dir.join("src/stack.rs"), &stack_src).unwrap();
    check(&dir, &lib); // builds the SDK's metadata once
    let clean = best_of(&dir, &lib);
    assert!(!clean.stderr.contains("error"), "{}", clean.stderr);
    let mistake = stack_src.replace("grants: [results.write,", "grants: [results.read,");
    assert_ne!(mistake, stack_src);
    let mut times = Vec::new();
    let mut diag = String::new();
    for _ in 0..runs() {
        std::fs::write(dir.join("src/stack.rs"), &mistake).unwrap();
        let c = check(&dir, &lib);
        diag = c.stderr.lines().find(|l| l.contains("TAP-")).unwrap_or("(no diagnostic!)").to_owned();
        times.push(c.wall);
        std::fs::write(dir.join("src/stack.rs"), &stack_src).unwrap();
    }
    let mistake_time = times.into_iter().min().unwrap();
    assert!(diag.contains("TAP-IAM-003"), "{diag}");
    println!("## a grant the code needs, taken away, to its diagnostic (the example worker, feature aws)\n");
    println!("| | cargo check |");
    println!("|---|---:|");
    println!("| unchanged (re-check) | {:.0} ms |", ms(clean.wall));
    println!("| `results.write` changed to `results.read` | {:.0} ms |", ms(mistake_time));
    println!("\nratio {:.2}×; diagnostic: `{diag}`", ms(mistake_time) / ms(clean.wall));
}
