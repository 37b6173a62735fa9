use super::{Acknowledge, ANY, Cx, Rule};
use crate::cfn::pascal;
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::output::Output;
use crate::kinds::queue::Queue;
use crate::kinds::schedule::Schedule;
use crate::kinds::schema::Exported;
use crate::kinds::value::Grant;
use crate::kinds::view::Via;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-OUT-001",
    title: "The stack exports what its users need to find",
    mistake: "seed mistake 17: no CfnOutput for resource endpoints",
    seed: "(no CfnOutput anywhere in TapStack)",
    explanation: "After deployment, operators and other stacks need the stack's entry points: \
        the API's URL, the stream and the work queues others write to, the buckets, tables, \
        database and cache endpoints they read, the topics they subscribe to; without outputs they \
        dig through the console. Each is the value of some `Output`. Where the line is: a queue \
        is an entry point when nothing in the stack writes to it (a work queue others fill); a \
        dead-letter queue, a failure destination or a queue the stack's own functions send to is \
        plumbing, found from its alarm. Functions, roles and the secrets the stack's functions \
        read are reached by the stack itself and need no output (an output is still allowed).",
    fix: "Declare `resource!(Output { name: \"ArchiveBucketName\", value: archive.name });`.",
    lifecycle: None,
    acknowledge: Acknowledge::On(ANY, "an entry point that only the stack's own functions use needs no export"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let exported: std::collections::HashSet<usize> = cx.stack.of::<Output>().map(|(_, o)| o.value.target).collect();
    let written = written_by_the_stack(cx);
    for (i, node) in cx.stack.nodes.iter().enumerate() {
        let spec = node.spec();
        let Some(b) = node.binding.as_deref() else { continue };
        let entry = match spec.exported {
            Exported::Always => true,
            Exported::WhenFilledFromOutside => !written.contains(&i),
            Exported::Never => false,
        };
        if entry && !exported.contains(&i) {
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

/// The resources something in the stack writes to: a function's failure destinations and
/// the queues its `send` grant reaches, a queue's dead-letter queue, a schedule's.
fn written_by_the_stack(cx: &Cx<'_>) -> std::collections::HashSet<usize> {
    let mut written: std::collections::HashSet<usize> = cx
        .uses
        .iter()
        .filter(|u| match u.via {
            Via::OnFailure | Via::AsyncFailure => true,
            Via::Env(_) => false,
            Via::EventSource => false,
        })
        .map(|u| u.target)
        .collect();
    for (_, f) in cx.stack.of::<Function>() {
        for g in f.grants() {
            if let Grant::Level { target, level, .. } = &g.value {
                if level.name == "send" {
                    written.insert(*target);
                }
            }
        }
    }
    written.extend(cx.stack.of::<Queue>().filter_map(|(_, q)| q.dead_letter.as_ref().map(|d| d.index)));
    written.extend(cx.stack.of::<Schedule>().filter_map(|(_, s)| s.dead_letter.as_ref().map(|d| d.index)));
    written
}
