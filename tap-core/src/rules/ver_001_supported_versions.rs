use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::function::{Function, Runtime};
use crate::kinds::service_data::{self, quoted};
use crate::kinds::Res;

pub static RULE: Rule = Rule {
    id: "TAP-VER-001",
    title: "Engines and runtimes are versions the service still creates",
    mistake: "the seed's PostgreSQL 14 and Python 3.9: deprecated for new resources (cfn-lint W3691, W2531)",
    seed: "engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_14) ... runtime=lambda_.Runtime.PYTHON_3_9",
    explanation: "A version past its end of standard support is not created any more (or only for \
        a fee, as extended support), gets no security fixes, and fails the deployment of a new \
        environment. tap reads the service data cfn-lint ships: the RDS engine versions \
        deprecated for new instances and for new clusters (a `Database`, and a raw \
        `AWS::RDS::DBCluster`), and the Lambda runtimes' deprecation dates, as of the day the \
        stack compiles. DocumentDB, Neptune, MemoryDB and OpenSearch versions are not in that \
        data, so they are not judged here; a version a service never had is a malformed value \
        (TAP-DSL-003).",
    fix: "Use a current version: the message names the newest ones, or the runtime's successor.",
    lifecycle: None,
    acknowledge: Acknowledge::On(&[Lifecycle::Ephemeral], "an ephemeral deployment may reproduce the version production is leaving, to rehearse the upgrade; a durable one on an end-of-life version gets no security fixes"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for node in &cx.stack.nodes {
        let label = &node.label;
        match &node.res {
            Res::Database(db) => {
                if let Some((why, current)) = service_data::rds_deprecated(db.engine.cfn(), &db.engine_version, false) {
                    out.push(Finding::new(
                        RULE.id,
                        db.engine_version.loc.clone(),
                        format!("{label}: {why}"),
                        format!("use a current version, e.g. {}", quoted(&current)),
                    ));
                }
            }
            Res::Function(f) => out.extend(runtime(f, label)),
            Res::Raw(raw) if raw.schema.ty == "AWS::RDS::DBCluster" => {
                let (Some(engine), Some(version)) =
                    (raw.prop("Engine").and_then(|e| e.value.as_str()), raw.prop("EngineVersion"))
                else {
                    continue;
                };
                let Some(v) = version.value.as_str() else { continue };
                if let Some((why, current)) = service_data::rds_deprecated(engine, v, true) {
                    out.push(Finding::new(
                        RULE.id,
                        version.loc.clone(),
                        format!("{label}: {why}"),
                        format!("write a current version, e.g. {}", quoted(&current)),
                    ));
                }
            }
            // No version data for the other kinds (a cache's versions are all current ones;
            // an unknown one is TAP-DSL-003) or raw types.
            Res::Cache(_)
            | Res::Raw(_)
            | Res::Vpc(_)
            | Res::Endpoint(_)
            | Res::SecurityGroup(_)
            | Res::Ingress(_)
            | Res::Stream(_)
            | Res::Bucket(_)
            | Res::Secret(_)
            | Res::DatabaseUser(_)
            | Res::Queue(_)
            | Res::Table(_)
            | Res::Topic(_)
            | Res::Role(_)
            | Res::LogGroup(_)
            | Res::EventSource(_)
            | Res::Schedule(_)
            | Res::Api(_)
            | Res::Alarm(_)
            | Res::Output(_)
            | Res::Existing(_) => {}
        }
    }
    out
}

/// A runtime Lambda has deprecated (cfn-lint W2531), or no longer creates functions on
/// (E2531), by today's date: the successor is the fix.
fn runtime(f: &Function, label: &str) -> Option<Finding> {
    let name = f.runtime.cfn();
    // The message leaves out the create-block date on purpose: it would change the text of
    // a build that fails either way.
    let (Some(deprecated), _create_block, successor) = service_data::runtime(name)? else { return None };
    if service_data::today().as_str() < deprecated {
        return None;
    }
    let word = successor.and_then(Runtime::from_cfn).map(|r| r.word());
    Some(Finding::new(
        RULE.id,
        f.runtime.loc.clone(),
        format!("{label}: runtime {name} is deprecated since {deprecated} (cfn-lint W2531)"),
        match (word, successor) {
            (Some(w), _) => format!("use its successor: `runtime: {w}`"),
            (None, Some(s)) => format!("use its successor, {s}"),
            _ => "use a supported runtime, e.g. `runtime: ProvidedAl2023`".to_owned(),
        },
    ))
}
