use super::{Cx, Rule};
use crate::cfn::pascal;
use crate::finding::Finding;
use crate::kinds::output::Output;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-OUT-001",
    title: "The stack exports what its users need to find",
    mistake: "seed mistake 17: no CfnOutput for resource endpoints",
    seed: "(no CfnOutput anywhere in TapStack)",
    explanation: "After deployment, operators and other stacks need the stream name, bucket name, \
        database and cache endpoints, queue URLs and function names; without outputs they dig \
        through the console. Every resource of a kind its users look up (those whose kind says \
        `exported`: streams, buckets, secrets, databases, caches, queues, tables, topics and \
        functions) is the value of some `Output`.",
    fix: "Declare `resource!(Output { name: \"ArchiveBucketName\", value: archive.name });`.",
    lifecycle: None,
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let exported: std::collections::HashSet<usize> = cx.stack.of::<Output>().map(|(_, o)| o.value.target).collect();
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        let spec = node.spec();
        let Some(b) = node.binding.as_deref() else { continue };
        if spec.exported && !exported.contains(&i) {
            let attr = spec.attrs[0].name;
            out.push(Finding::new(
                RULE.id,
                Loc::resource(i),
                format!("{} is not in the stack's outputs", node.label),
                format!(
                    "declare `resource!(Output {{ name: \"{}{}\", value: {b}.{attr} }});`",
                    pascal(b),
                    pascal(attr)
                ),
            ));
        }
    }
    out
}
