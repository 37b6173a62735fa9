//! The registry table's cost, measured (not a test): `cargo bench --bench registry`.
//! Index build (first use in a process), one type's schema parsed (each type once, as a
//! macro expansion meets it), and a check of a resource's properties; ratios from this run.

use std::time::Instant;

use tap::aws_data::registry;

fn main() {
    let start = Instant::now();
    let types: Vec<&str> = registry::types().collect();
    let index = start.elapsed();
    let mut parse = Vec::new();
    for ty in &types {
        let t = Instant::now();
        registry::schema(ty).expect("every listed type parses");
        parse.push(t.elapsed());
    }
    parse.sort();
    let total: std::time::Duration = parse.iter().sum();
    let rule = registry::schema("AWS::Events::Rule").unwrap();
    let props = serde_json::json!({
        "Name": { "Fn::Sub": "nightly-${EnvironmentSuffix}" },
        "ScheduleExpression": "rate(5 minutes)",
        "State": "ENABLED",
        "Targets": [{ "Arn": { "Fn::GetAtt": ["Worker", "Arn"] }, "Id": "worker" }],
    });
    rule.check(&props); // compiles its patterns once
                        // Smoke mode (`TAP_BENCH_SMOKE`): a few checks, so the test command runs it.
    let n = if std::env::var_os("TAP_BENCH_SMOKE").is_some() { 10 } else { 10_000 };
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(rule.check(std::hint::black_box(&props)));
    }
    let check = t.elapsed() / n;
    println!("## registry table ({} types)\n", types.len());
    println!("| step | time |");
    println!("|---|---:|");
    println!("| index of every type (once per process) | {:.2} ms |", index.as_secs_f64() * 1e3);
    println!("| one type's schema parsed: median | {:.1} µs |", parse[parse.len() / 2].as_secs_f64() * 1e6);
    println!("| one type's schema parsed: slowest | {:.2} ms |", parse[parse.len() - 1].as_secs_f64() * 1e3);
    println!("| every type parsed | {:.0} ms |", total.as_secs_f64() * 1e3);
    println!("| check of an EventBridge rule's properties | {:.1} µs |", check.as_secs_f64() * 1e6);
    println!(
        "\nratio: index + the slowest type = {:.2}% of the 200 ms macro budget",
        (index + parse[parse.len() - 1]).as_secs_f64() * 1e3 / 200.0 * 100.0
    );
}
