use super::{Cx, Rule};
use crate::finding::Finding;
use crate::kinds::Kind;
use crate::model::{Loc, Seg, Value};

pub static RULE: Rule = Rule {
    id: "TAP-IAM-002",
    title: "Every grant is justified by a use, and none is a wildcard",
    mistake: "seed mistake 9, the other half: permissions that do not match the resources referenced",
    seed: "archive_bucket.grant_write(lambda_role)  # the only grant, and not what the stack references",
    explanation: "Least privilege in both directions: a grant on a resource the function never \
        references, or a broader level than its uses imply, is standing access nobody reviews; a \
        wildcard action or resource is all of that at once.",
    fix: "Remove the grant, or narrow it to the level the use implies.",
    check,
};

fn check(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (f, function) in cx.stack.of_kind(Kind::Function) {
        let fname = function.binding.as_deref().unwrap_or("function");
        for (n, grant) in function.list("grants").iter().enumerate() {
            let loc = Loc { resource: Some(f), path: vec![Seg::Key("grants".into()), Seg::Index(n)] };
            match grant {
                Value::Ref { target, attr: Some(level) } => {
                    let uses: Vec<_> = cx
                        .uses_of(f)
                        .filter(|u| cx.stack.resources[u.target].binding.as_deref() == Some(target))
                        .collect();
                    if uses.is_empty() {
                        out.push(Finding::new(
                            RULE.id,
                            loc,
                            format!("grant `{target}.{level}` on `{fname}` is not used: `{fname}` never references `{target}`"),
                            format!("remove `{target}.{level}`, or bind what `{fname}` uses, e.g. in its `env`"),
                        ));
                    } else if let Some(u) = uses.iter().find(|u| !u.levels.is_empty() && !u.levels.contains(&level.as_str())) {
                        out.push(Finding::new(
                            RULE.id,
                            loc,
                            format!("grant `{target}.{level}` on `{fname}` is not what its use implies: {}", u.describe(cx.stack)),
                            format!("grant `{target}.{}` instead", u.levels[0]),
                        ));
                    }
                }
                Value::Call { name, args } if name == "Raw" => {
                    let strings = |v: Option<&Value>| -> Vec<String> {
                        match v {
                            Some(Value::List(items)) => items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
                            _ => Vec::new(),
                        }
                    };
                    let (actions, resources) = (strings(args.first()), strings(args.get(1)));
                    if let Some(a) = actions.iter().find(|a| a.contains('*')) {
                        out.push(Finding::new(
                            RULE.id,
                            loc,
                            format!("grant on `{fname}` uses the wildcard action \"{a}\""),
                            "name each action, or use a typed grant such as `archive.write`",
                        ));
                    } else if let Some(res) = resources.iter().find(|r| *r == "*" || r.ends_with(":*")) {
                        out.push(Finding::new(
                            RULE.id,
                            loc,
                            format!("grant on `{fname}` applies to every resource (\"{res}\")"),
                            "name the ARN, or use a typed grant such as `db_secret.read`",
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    out
}
