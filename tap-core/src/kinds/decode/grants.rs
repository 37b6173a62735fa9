//! Grants: `binding.level` (one of the access levels the target's kind declares) or
//! `Raw([actions], [resources])`, every action one IAM defines.

use super::{Decoder, FromValue};
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::kinds::schema::{Spec, Ty};
use crate::kinds::value::*;
use crate::model::{Loc, Seg, Value};

impl FromValue for Grant {
    fn ty() -> Ty {
        Ty::Grant
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Dot { target, member } => level_grant(d, target, member, loc),
            Value::Call { name, args } if name == "Raw" => raw_grant(d, key, args, loc),
            Value::Word(w) => {
                match d.binding(w) {
                    Some((_, k)) => {
                        let spec = k.spec();
                        d.push(Finding::dsl(
                            Dsl::WrongType,
                            loc.clone(),
                            format!("a grant names an access level of `{w}`, not the whole {}", spec.noun),
                            if spec.levels.is_empty() {
                                "remove it: this kind is not reached through IAM".to_owned()
                            } else {
                                format!("grant one of: {}", levels_of(w, spec))
                            },
                        ))
                    }
                    None => d.undeclared(w, loc),
                }
                None
            }
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

/// `target.level`: one of the access levels the target's kind declares.
fn level_grant(d: &mut Decoder<'_>, target: &str, member: &str, loc: &Loc) -> Option<Grant> {
    let (i, k) = d.declared(target, loc)?;
    let spec = k.spec();
    if spec.levels.is_empty() {
        d.push(Finding::dsl(
            Dsl::WrongKind,
            loc.clone(),
            format!("a {} is not reached through IAM: `{target}` cannot be granted", spec.noun),
            "remove the grant; network access is declared with `Ingress`",
        ));
        return None;
    }
    match spec.level(member) {
        Some(level) => Some(Grant::Level { target: i, name: target.to_owned(), level }),
        None => {
            d.push(Finding::dsl(
                Dsl::UnknownMember,
                loc.clone(),
                format!(
                    "{} `{target}` has no access level `{member}`{}",
                    spec.noun,
                    hint(did_you_mean(member, spec.levels.iter().map(|l| l.name)))
                ),
                format!("grant one of: {}", levels_of(target, spec)),
            ));
            None
        }
    }
}

/// `Raw([actions], [resources])`: every action one IAM defines, every resource an ARN of the
/// stack (or a literal). Every problem is reported, not only the first.
fn raw_grant(d: &mut Decoder<'_>, key: &str, args: &[Value], loc: &Loc) -> Option<Grant> {
    let (Some(Value::List(actions)), Some(Value::List(resources)), 2) = (args.first(), args.get(1), args.len()) else {
        d.push(Finding::dsl(
            Dsl::WrongType,
            loc.clone(),
            "`Raw` takes two non-empty lists: IAM actions, then the resources they apply to",
            "write `Raw([\"service:Action\"], [binding.arn])`, or better a typed grant like `bucket.write`",
        ));
        return None;
    };
    let mut ok = !actions.is_empty() && !resources.is_empty();
    if !ok {
        d.push(Finding::dsl(
            Dsl::WrongType,
            loc.clone(),
            "`Raw` with no actions or no resources grants nothing",
            "name at least one action and one resource",
        ));
    }
    let mut granted = Vec::new();
    for (n, a) in actions.iter().enumerate() {
        let at = loc.push(Seg::Index(0)).push(Seg::Index(n));
        let Some(text) = a.as_str() else {
            d.wrong_type(key, &Ty::Str, a, &at);
            ok = false;
            continue;
        };
        if let Some((why, near)) = crate::aws_data::iam_actions::unknown(text) {
            d.push(Finding::dsl(
                Dsl::UnknownAction,
                at.clone(),
                format!("{why}{}", hint(near.as_deref())),
                "name an action IAM defines (see the service's \"Actions, resources, and condition keys\" page), or use a typed grant",
            ));
            ok = false;
        }
        granted.push(At { value: text.to_owned(), loc: at });
    }
    let mut on = Vec::new();
    for (n, r) in resources.iter().enumerate() {
        let at = loc.push(Seg::Index(1)).push(Seg::Index(n));
        match raw_resource(d, key, r, &at) {
            Some(resource) => on.push(At { value: resource, loc: at }),
            None => ok = false,
        }
    }
    ok.then_some(Grant::Raw { actions: granted, resources: on })
}

/// One resource of a `Raw` grant: a literal, an ARN of the stack, or `Under(arn, "/path")`.
fn raw_resource(d: &mut Decoder<'_>, key: &str, r: &Value, at: &Loc) -> Option<RawResource> {
    match r {
        Value::Str(s) => Some(RawResource::Literal(s.clone())),
        Value::Call { name, args } if name == "Under" => match args.as_slice() {
            [target, Value::Str(path)] if (path.starts_with('/') || path.starts_with(':')) && path.len() > 1 => {
                raw_arn(d, key, target, &at.push(Seg::Index(0))).map(|a| RawResource::Under(a, path.clone()))
            }
            [_, Value::Str(path)] => {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    at.push(Seg::Index(1)),
                    format!("\"{path}\" is not a path under an ARN"),
                    "start it with `/` or `:`, as in `Under(bus.Arn, \"/*\")`",
                ));
                None
            }
            _ => {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    at.clone(),
                    "`Under` takes an ARN and a path",
                    "write `Under(binding.Arn, \"/*\")`",
                ));
                None
            }
        },
        other => raw_arn(d, key, other, at).map(RawResource::Attr),
    }
}

/// An ARN of the stack: `binding.arn`, or a raw resource's `binding.SomethingArn`.
fn raw_arn(d: &mut Decoder<'_>, key: &str, v: &Value, at: &Loc) -> Option<AttrRef> {
    match v {
        Value::Dot { target, member }
            if member == "arn" || (d.raw_types.contains_key(target.as_str()) && member.ends_with("Arn")) =>
        {
            d.attr_ref(v, key, at, Ty::Attr)
        }
        other => {
            d.push(Finding::dsl(
                Dsl::WrongType,
                at.clone(),
                format!("a `Raw` grant applies to ARNs, not {}", other.describe()),
                "name a resource of the stack by its ARN: `binding.arn` (`binding.Arn` for a raw resource), or what lies under it: `Under(binding.Arn, \"/*\")`",
            ));
            None
        }
    }
}

fn levels_of(target: &str, spec: &Spec) -> String {
    spec.levels.iter().map(|l| format!("{target}.{}", l.name)).collect::<Vec<_>>().join(", ")
}
