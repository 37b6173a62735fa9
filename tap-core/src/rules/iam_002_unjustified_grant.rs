use super::{Acknowledge, Cx, Rule};
use crate::finding::Finding;
use crate::kinds::function::Function;
use crate::kinds::role::Role;
use crate::kinds::value::{At, Grant, RawResource};
use crate::kinds::Res;
use crate::model::Loc;

pub static RULE: Rule = Rule {
    id: "TAP-IAM-002",
    title: "Every grant is justified by a use, and none is a wildcard",
    mistake: "seed mistake 9, the other half: permissions that do not match the resources referenced",
    seed: "archive_bucket.grant_write(lambda_role)  # the only grant, and not what the stack references",
    explanation: "Least privilege in both directions: a grant on a resource the function never \
        references, or a broader level than its uses imply, is standing access nobody reviews; a \
        wildcard action or resource is all of that at once. tap writes each function's runtime \
        permissions itself, inline, instead of attaching AWS managed policies (whose logs actions \
        name every log group, with `logs:CreateLogGroup`, which lets Lambda re-create a log group \
        the stack deleted): writing to its own log group only, and for a function in a VPC what \
        Lambda needs to attach it: `ec2:DescribeNetworkInterfaces` and `ec2:DescribeSubnets` on \
        `*` (AWS accepts them on nothing narrower) and the network-interface writes on this \
        account and region only; and X-Ray's `xray:PutTraceSegments` and \
        `xray:PutTelemetryRecords`, on `*` because X-Ray has no resource-level permissions. \
        Those four are the only `*` in a tap template.",
    fix: "Remove the grant, or narrow it to the level the use implies.",
    lifecycle: None,
    acknowledge: Acknowledge::Never("a permission no code uses, or one on `*`, widens what a compromised function can do; grants are proven against the code, so an unused one is removed, not excused"),
    checkov: &[],
    check,
};

fn check(cx: &Cx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // (A grant looks unused when the use that justifies it was written wrong.)
    for (f, function) in cx.stack.of::<Function>().filter(|(f, _)| cx.judged(*f, "env")) {
        let fname = cx.stack.node(f).binding.as_deref().unwrap_or("function");
        for (n, grant) in function.grants().iter().enumerate() {
            match &grant.value {
                Grant::Level { .. } => out.extend(level_grant(cx, f, fname, &function.grants()[..n], grant)),
                Grant::Raw { resources, .. } => match wildcard(&grant.value, &grant.loc, fname) {
                    Some(w) => out.push(w),
                    None => out.extend(unused_raw_resources(cx, f, fname, resources)),
                },
            }
        }
    }
    // A role's grants are the service's to use, which tap cannot see (TAP-IAM-001 does
    // not reach them); what it can see: no wildcards, and a role something assumes.
    for (r, role) in cx.stack.of::<Role>() {
        let rname = cx.stack.binding(r);
        for grant in role.grants.iter() {
            out.extend(wildcard(&grant.value, &grant.loc, rname));
        }
        out.extend(unused_role(cx, r, rname));
    }
    out
}

/// A level granted to function `f`: granted once per resource, used, and the level its
/// uses imply. `earlier` are the grants written before it.
fn level_grant(cx: &Cx<'_>, f: usize, fname: &str, earlier: &[At<Grant>], grant: &At<Grant>) -> Option<Finding> {
    let Grant::Level { target, name, level } = &grant.value else { return None };
    let loc = grant.loc.clone();
    // Two levels on one resource: one statement each, and no one type for the handle; a
    // kind that has a combined level offers it.
    let first = earlier.iter().find_map(|g| match &g.value {
        Grant::Level { target: t, level: l, .. } if t == target => Some(l.name),
        _ => None,
    });
    if let Some(first) = first {
        let spec = cx.stack.node(*target).target_spec();
        let combined = spec.levels.iter().find(|c| {
            c.name != first && c.name != level.name && [first, level.name].iter().all(|x| c.name.contains(x))
        });
        return Some(Finding::new(
            RULE.id,
            loc,
            format!("`{name}` is granted twice to `{fname}`: `{name}.{first}` and `{name}.{}`", level.name),
            match combined {
                Some(c) => format!("grant `{name}.{}` once instead", c.name),
                None => "keep the one level its uses need".to_owned(),
            },
        ));
    }
    let uses: Vec<_> = cx.uses_of(f).filter(|u| u.target == *target).collect();
    let level = level.name;
    if uses.is_empty() {
        return Some(Finding::new(
            RULE.id,
            loc,
            format!("grant `{name}.{level}` on `{fname}` is not used: `{fname}` never references `{name}`"),
            format!("remove `{name}.{level}`, or bind what `{fname}` uses, e.g. in its `env`"),
        ));
    }
    let u = uses.iter().find(|u| !u.levels.is_empty() && !u.levels.iter().any(|l| l.name == level))?;
    Some(Finding::new(
        RULE.id,
        loc,
        format!("grant `{name}.{level}` on `{fname}` is not what its use implies: {}", u.describe(cx.stack)),
        format!("grant `{name}.{}` instead", u.levels[0].name),
    ))
}

/// The resources of a `Raw` grant that function `f` never references.
fn unused_raw_resources(cx: &Cx<'_>, f: usize, fname: &str, resources: &[At<RawResource>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in resources {
        let Some(a) = r.target().filter(|a| !cx.uses_of(f).any(|u| u.target == a.target)) else { continue };
        out.push(Finding::new(
            RULE.id,
            r.loc.clone(),
            format!("`Raw` grant on `{fname}` names `{}`, which `{fname}` never references", a.name),
            format!("remove it, or bind what `{fname}` uses, e.g. in its `env`"),
        ));
    }
    out
}

/// A role that no resource of the stack names (the service that assumes it is given its
/// ARN).
fn unused_role(cx: &Cx<'_>, r: usize, rname: &str) -> Option<Finding> {
    let used = !rname.is_empty()
        && cx.stack.nodes.iter().any(
            |n| matches!(&n.res, Res::Raw(raw) if raw.props.iter().any(|(_, v)| v.named().contains(&rname))),
        );
    if used {
        return None;
    }
    let (what, fix) = if rname.is_empty() {
        (
            "a role without a binding is not used: nothing can name it".to_owned(),
            "bind it, `let flow_role = resource!(Role { .. });`, and name `flow_role.arn` where the service runs"
                .to_owned(),
        )
    } else {
        (
            format!("role `{rname}` is not used: no resource of the stack names `{rname}.arn`"),
            format!("remove it, or give it to the resource the service runs, e.g. `RoleArn: {rname}.arn`"),
        )
    };
    Some(Finding::new(RULE.id, Loc::resource(r), what, fix))
}

/// A wildcard action or resource in a `Raw` grant.
fn wildcard(grant: &Grant, loc: &Loc, owner: &str) -> Option<Finding> {
    let Grant::Raw { actions, resources } = grant else { return None };
    if let Some(a) = actions.iter().find(|a| a.contains('*')) {
        return Some(Finding::new(
            RULE.id,
            loc.clone(),
            format!("grant on `{owner}` uses the wildcard action \"{}\"", a.value),
            "name each action, or use a typed grant such as `archive.write`",
        ));
    }
    resources.iter().find_map(|r| match &r.value {
        RawResource::Literal(s) if s == "*" || s.ends_with(":*") => Some(Finding::new(
            RULE.id,
            r.loc.clone(),
            format!("grant on `{owner}` applies to every resource (\"{s}\")"),
            "name the resource of the stack it is for: `binding.arn`",
        )),
        _ => None,
    })
}
