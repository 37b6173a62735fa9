use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::{Function, Runtime};
use crate::kinds::value::Code;

pub static RULE: Rule = Rule {
    id: "TAP-CODE-004",
    title: "Function code is a self-contained build",
    mistake: "seed mistake 14: missing Lambda dependencies (psycopg2 and redis not in the Python runtime)",
    seed: "runtime=lambda_.Runtime.PYTHON_3_9  (import psycopg2, redis: not in the runtime)",
    explanation: "An interpreted runtime imports packages that the runtime does not ship; without \
        a bundle or layer the function fails on its first import. tap functions are Rust binaries \
        on `provided.al2023`: every dependency is linked into the `bootstrap` at build time, so a \
        missing dependency is a build error, not a runtime one.",
    fix: "Write `runtime: ProvidedAl2023` with `code: Bin(\"<name>\")`.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("the function fails on its first import: there is nothing to argue"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in cx.stack.of::<Function>() {
        let label = &cx.stack.node(i).label;
        if *f.runtime != Runtime::ProvidedAl2023 {
            out.push(Finding::new(
                RULE.id,
                f.runtime.loc.clone(),
                format!("{label} runs on `{}`, whose packages are not bundled with the code", f.runtime.word()),
                "build a Rust binary: `runtime: ProvidedAl2023, code: Bin(\"<name>\")`",
            ));
            continue;
        }
        // A directory for provided.al2023 must already hold the executable.
        if let Code::Dir(dir) = &f.code.value {
            let path = cx.root.join(dir);
            if path.is_dir() && !path.join("bootstrap").is_file() {
                out.push(Finding::new(
                    RULE.id,
                    f.code.loc.clone(),
                    format!("{label}: directory \"{dir}\" has no `bootstrap` executable for provided.al2023"),
                    "use `code: Bin(\"<name>\")`, which tap builds and packages as `bootstrap`",
                ));
            }
        }
    }
    out
}
