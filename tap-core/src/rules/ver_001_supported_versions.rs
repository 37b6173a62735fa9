use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::schema::Lifecycle;
use crate::kinds::raw::Raw;
use crate::aws_data::service_data::{self, quoted};
use crate::kinds::view::Version;
use crate::kinds::Res;
use crate::model::Loc;

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
        // Raw CloudFormation names its cluster's engine and version itself; a kind says what
        // it runs (`Hooks::version`). No version data for the other raw types.
        if let Res::Raw(raw) = &node.res {
            if raw.schema.ty == "AWS::RDS::DBCluster" {
                out.extend(raw_cluster(raw, label));
            }
            continue;
        }
        match node.res.hooks().version() {
            Some(Version::Rds { engine, version }) => {
                if let Some((why, current)) = service_data::rds_deprecated(engine, version, false) {
                    out.push(Finding::new(
                        RULE.id,
                        version.loc.clone(),
                        format!("{label}: {why}"),
                        format!("use a current version, e.g. {}", quoted(&current)),
                    ));
                }
            }
            Some(Version::Runtime { name, loc, word_of }) => out.extend(runtime(name, loc, word_of, label)),
            None => {}
        }
    }
    out
}

/// A raw `AWS::RDS::DBCluster`'s engine version.
fn raw_cluster(raw: &Raw, label: &str) -> Option<Finding> {
    let engine = raw.prop("Engine")?.value.as_str()?;
    let version = raw.prop("EngineVersion")?;
    let (why, current) = service_data::rds_deprecated(engine, version.value.as_str()?, true)?;
    Some(Finding::new(
        RULE.id,
        version.loc.clone(),
        format!("{label}: {why}"),
        format!("write a current version, e.g. {}", quoted(&current)),
    ))
}

/// A runtime Lambda has deprecated (cfn-lint W2531), or no longer creates functions on
/// (E2531), by today's date: the successor is the fix.
fn runtime(name: &str, loc: &Loc, word_of: fn(&str) -> Option<&'static str>, label: &str) -> Option<Finding> {
    // The message leaves out the create-block date on purpose: it would change the text of
    // a build that fails either way.
    let (Some(deprecated), _create_block, successor) = service_data::runtime(name)? else { return None };
    if service_data::today().as_str() < deprecated {
        return None;
    }
    let word = successor.and_then(word_of);
    Some(Finding::new(
        RULE.id,
        loc.clone(),
        format!("{label}: runtime {name} is deprecated since {deprecated} (cfn-lint W2531)"),
        match (word, successor) {
            (Some(w), _) => format!("use its successor: `runtime: {w}`"),
            (None, Some(s)) => format!("use its successor, {s}"),
            _ => "use a supported runtime, e.g. `runtime: ProvidedAl2023`".to_owned(),
        },
    ))
}
