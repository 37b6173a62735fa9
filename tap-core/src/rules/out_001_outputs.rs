use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-OUT-001",
    title: "The stack exports what its users need to find",
    mistake: "seed mistake 17: no CfnOutput for resource endpoints",
    seed: "(no CfnOutput anywhere in TapStack)",
    explanation: "After deployment, operators and other stacks need the stream name, bucket name, \
        database and cache endpoints, queue URLs and function names; without outputs they dig \
        through the console. Every stream, bucket, secret, database, cache, queue and function is \
        the value of some `Output`.",
    fix: "Declare `resource!(Output { name: \"ArchiveBucketName\", value: archive.name });`.",
    check,
};

const EXPORTED: &[Kind] = &[Kind::Stream, Kind::Bucket, Kind::Secret, Kind::Database, Kind::Cache, Kind::Queue, Kind::Function];

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    let exported: std::collections::HashSet<&str> = cx.stack.of_kind(Kind::Output).filter_map(|(_, o)| o.target("value")).collect();
    for (i, r) in cx.stack.resources.iter().enumerate() {
        if !EXPORTED.contains(&r.kind) {
            continue;
        }
        let Some(b) = r.binding.as_deref() else { continue };
        if !exported.contains(b) {
            let attr = r.kind.spec().attrs[0];
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{} is not in the stack's outputs", r.label()),
                format!("declare `resource!(Output {{ name: \"{}{}\", value: {b}.{attr} }});`", crate::ids::pascal(b), crate::ids::pascal(attr)),
            ));
        }
    }
    out
}
