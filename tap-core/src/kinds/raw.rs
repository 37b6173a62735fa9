//! Raw resources: any CloudFormation type tap has no kind for, written with its own
//! property names (`resource!(AWS::Events::Rule { ScheduleExpression: "rate(5 minutes)", .. })`)
//! and checked against its registry schema at compile time, with the caret on the token:
//! unknown properties (with the closest), types, enums, patterns, limits, required
//! properties, nested shapes. A bare binding is its `Ref`; `binding.Attr` is a `GetAtt`
//! checked against the attributes the schema lists (or, for a kind of tap's, against the
//! kind's attributes).
//!
//! In a string, `{suffix}` is the environment suffix and `{binding}` (a binding of the
//! stack) its `Ref`, as in `"integrations/{integration}"`: the template writes `Fn::Sub`.
//! Braces around anything else (`"GET /reports/{id}"`) stay as written, and `{{text}}` is
//! the literal `{text}` whatever the stack binds; a route key whose `{name}` is a binding is
//! refused (renaming a binding would otherwise turn a path parameter into a reference).
//! An unbound one's logical id is its type and the bindings it names, never its position.
//!
//! What tap's rules say of them: a name-like create-only property (`Name`, `RuleName`, ..)
//! of a type named in the account (not within a parent, as an API's stage) carries
//! `{suffix}` (TAP-NAME-001); a type that holds data is deleted by an ephemeral
//! deployment and kept by a durable one (its policies follow the lifecycle, nothing to
//! write); a function that binds one of its attributes needs a `Raw` grant naming it
//! (TAP-IAM-001). A type tap has a kind for must use the kind, and IAM types are refused:
//! tap writes roles and policies from grants, where TAP-IAM-001/002 see them.

use super::prelude::*;
use crate::model::Interpolated;
use crate::aws_data::registry::{self, TypeSchema};
use super::decode::{Decode, Decoder};
use crate::model::{Seg, Value};

/// Stands for every raw type in the kind registry (its word cannot be written: raw types
/// are named by their CloudFormation type).
pub const SPEC: Spec = Spec::new("AWS::<Service>::<Type>", "resource", "Any CloudFormation resource type tap has no kind for, checked against its registry schema.", &[]);

/// A raw resource: its type and its properties as written.
pub struct Raw {
    pub schema: &'static TypeSchema,
    pub props: Vec<(String, At<Value>)>,
    /// The name-like create-only property written, for TAP-NAME-001.
    pub name: Option<At<Name>>,
    /// Values not checked against their pattern (Rust's regex does not compile it).
    pub unchecked: Vec<String>,
}

impl Raw {
    /// The logical-id stem of an unbound one: its type and the bindings it names, in order.
    fn stem(&self, stack: &Checked) -> String {
        let mut names: Vec<&str> = Vec::new();
        for (_, v) in &self.props {
            for n in v.value.named() {
                if stack.find(n).is_some() && !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        let ty: String = self.schema.ty.split("::").skip(1).collect();
        format!("{ty}{}", names.iter().map(|n| pascal(n)).collect::<String>())
    }

    /// The value written for top-level property `key`.
    pub fn prop(&self, key: &str) -> Option<&At<Value>> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Why a CloudFormation type cannot be a raw resource, if it cannot: unknown, one tap has
/// a kind for, or an IAM type.
pub fn refused(ty: &str) -> Option<(Dsl, String, String)> {
    if let Some(kind) = Kind::ALL.iter().find(|k| k.spec().cfn_type == Some(ty)) {
        let word = kind.spec().word;
        return Some((Dsl::WrongKind, format!("{ty} is tap's `{word}` kind"), format!("write `resource!({word} {{ .. }})`: the kind's rules then apply")));
    }
    if ty.starts_with("AWS::IAM::") {
        return Some((
            Dsl::WrongKind,
            format!("{ty} is not written by hand: tap writes roles and policies from grants"),
            "grant access in the function's `grants`, or give the service a `Role { assumed_by, grants }` (a level, or `Raw([actions], [binding.Arn])`)".to_owned(),
        ));
    }
    if registry::schema(ty).is_none() {
        let near = registry::near_type(ty).map(|t| format!("; did you mean `{t}`?")).unwrap_or_default();
        return Some((Dsl::UnknownKind, format!("unknown CloudFormation resource type `{ty}`{near}"), "name a type of the CloudFormation registry, or one of tap's kinds".to_owned()));
    }
    None
}

/// The pseudo parameters a string may hold (`${AWS::Region}`), with values to check
/// patterns against.
const PSEUDO: &[(&str, &str)] = &[
    ("${AWS::Partition}", "aws"),
    ("${AWS::Region}", "us-east-1"),
    ("${AWS::AccountId}", "123456789012"),
    ("${AWS::URLSuffix}", "amazonaws.com"),
    ("${AWS::StackName}", "stack"),
];

/// A longest-suffix stand-in for `{suffix}`, so lengths and patterns are checked as the
/// longest environment name would make them.
const SUFFIX_PROBE: &str = "abcdefghijkl";

impl Decode for Raw {
    const PROPS: &'static [super::schema::Prop] = &[];

    fn decode(d: &mut Decoder<'_>) -> Option<Self> {
        let schema = registry::schema(d.kind_word())?;
        let i = d.index();
        let mut props = Vec::new();
        let mut check = serde_json::Map::new();
        for (position, (key, value)) in d.props().iter().enumerate() {
            d.set_position(position);
            if schema.property(key).is_none() {
                let near = crate::finding::did_you_mean(key, schema.property_names()).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default();
                d.push(Finding::dsl(
                    Dsl::UnknownProperty,
                    Loc::field(i, key),
                    format!("{} has no property `{key}`{near}", schema.ty),
                    "use the property names of the type's CloudFormation reference",
                ));
                continue;
            }
            if schema.read_only.contains(key) {
                d.push(Finding::dsl(Dsl::UnknownProperty, Loc::field(i, key), format!("`{key}` of {} is read-only: CloudFormation sets it", schema.ty), format!("remove it; read it as `binding.{key}`")));
                continue;
            }
            let loc = Loc::prop(i, key);
            match to_json(value, &loc, d) {
                Some(j) => {
                    check.insert(key.clone(), j);
                }
                None => d.malformed(key),
            }
            props.push((key.clone(), At { value: value.clone(), loc }));
        }
        let report = schema.check(&Json::Object(check));
        for p in report.problems {
            // A missing top-level property is the resource's; everything else is at the value,
            // which the rules then read as unknown.
            let at = if p.path.is_empty() { Loc::resource(i) } else { loc_of(i, &p.path) };
            if let Some(key) = p.path.split(['.', '[']).next().filter(|k| !k.is_empty()) {
                d.malformed(key);
            }
            let missing = p.message.starts_with("required property");
            d.push(Finding::dsl(
                if missing { Dsl::Missing } else { Dsl::WrongType },
                at,
                format!("{}: {}", schema.ty, p.message),
                if missing { "add it".to_owned() } else { "write a value the type's schema accepts".to_owned() },
            ));
        }
        // A name scoped to a parent (the type's identifier has several parts, as an API's
        // stage) is not a physical name of the account: it needs no suffix.
        let account_wide = schema.primary_identifier.len() <= 1;
        let name = props.iter().find(|(k, v)| account_wide && schema.create_only.contains(k) && k.ends_with("Name") && v.value.as_str().is_some()).map(|(_, v)| At {
            value: Name(v.value.as_str().unwrap_or_default().to_owned()),
            loc: v.loc.clone(),
        });
        let unchecked = report.unchecked.into_iter().map(|u| format!("{} {u}", schema.ty)).collect();
        // Kept whatever was wrong with it: the rules judge every property that decoded.
        Some(Raw { schema, props, name, unchecked })
    }
    fn physical_name(&self) -> Option<&At<Name>> {
        self.name.as_ref()
    }
}

/// The JSON the schema check sees: references are intrinsics (known at deployment), and
/// `{suffix}` is its longest value. A reference that does not resolve is reported here.
fn to_json(v: &Value, loc: &Loc, d: &mut Decoder<'_>) -> Option<Json> {
    Some(match v {
        Value::Str(s) => {
            route_placeholders(s, loc, d);
            let mut probe = Interpolated::parse(s).render(SUFFIX_PROBE, |b| d.binding(b).map(|_| "abc123".to_owned()));
            for (pseudo, value) in PSEUDO {
                probe = probe.replace(pseudo, value);
            }
            Json::String(probe)
        }
        Value::Int(n) => json!(n),
        Value::Bool(b) => json!(b),
        Value::Word(w) => {
            d.declared(w, loc)?;
            json!({ "Ref": w })
        }
        Value::Dot { target, member } => {
            d.raw_attr(target, member, loc)?;
            json!({ "Fn::GetAtt": [target, member] })
        }
        Value::List(items) => {
            let mut out = Vec::new();
            for (n, x) in items.iter().enumerate() {
                out.push(to_json(x, &loc.push(Seg::Index(n)), d)?);
            }
            Json::Array(out)
        }
        Value::Map(entries) => {
            let mut out = serde_json::Map::new();
            for (k, x) in entries {
                out.insert(k.clone(), to_json(x, &loc.push(Seg::Key(k.clone())), d)?);
            }
            Json::Object(out)
        }
        Value::Call { name, .. } => {
            d.push(Finding::dsl(Dsl::WrongType, loc.clone(), format!("`{name}(..)` is not a CloudFormation value"), "write a string, number, boolean, list, `{ Key: value }`, `binding` or `binding.Attr`"));
            return None;
        }
    })
}

/// A route key (`"POST /webhooks/{source}"`) whose path parameter is also a binding's name:
/// tap would write that resource's id into the path, which is never what a route means.
fn route_placeholders(s: &str, loc: &Loc, d: &mut Decoder<'_>) {
    let route_like = s.split_once(" /").is_some_and(|(m, _)| super::api::METHODS.contains(&m));
    if !route_like {
        return;
    }
    let bindings: Vec<&str> = crate::model::placeholders(s).into_iter().filter(|w| d.binding(w).is_some()).collect();
    for word in bindings {
        d.push(Finding::dsl(
            Dsl::WrongType,
            loc.clone(),
            format!("in the route \"{s}\", `{{{word}}}` names the stack's `{word}`, so tap would write its id into the path"),
            format!("write `{{{{{word}}}}}` for the path parameter `{{{word}}}`"),
        ));
    }
}

/// `Targets[0].Arn` -> the location of that value.
fn loc_of(i: usize, path: &str) -> Loc {
    let mut loc = Loc::resource(i);
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        loc = loc.push(Seg::Key(key.to_owned()));
        for index in rest.split('[').filter_map(|x| x.trim_end_matches(']').parse().ok()) {
            loc = loc.push(Seg::Index(index));
        }
    }
    loc
}

/// The services that invoke Lambda asynchronously, as a raw `AWS::Lambda::Permission`'s
/// `Principal` names them (from AWS's list of asynchronous invokers).
pub const ASYNC_PRINCIPALS: &[&str] = &[
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "logs.amazonaws.com",
    "config.amazonaws.com",
    "codecommit.amazonaws.com",
];

/// Raw types that deploy an asynchronous invoker, and the property that names the function.
const ASYNC_INVOKERS: &[(&str, &str)] = &[
    ("AWS::Lambda::Permission", "FunctionName"),
    ("AWS::Events::Rule", "Targets"),
    ("AWS::SNS::Subscription", "Endpoint"),
    ("AWS::S3::Bucket", "NotificationConfiguration"),
];

impl Hooks for Raw {
    /// A permission for an asynchronous service, a rule's targets, a topic's Lambda
    /// subscription, a bucket's notifications: each function they name.
    fn invokes(&self, i: usize, stack: &Checked, out: &mut Vec<AsyncInvoke>) {
        let Some(&(ty, key)) = ASYNC_INVOKERS.iter().find(|(t, _)| *t == self.schema.ty) else { return };
        let word = |k: &str| self.prop(k).and_then(|p| p.value.as_str());
        if ty == "AWS::Lambda::Permission" && !word("Principal").is_some_and(|p| ASYNC_PRINCIPALS.contains(&p)) {
            return;
        }
        if ty == "AWS::SNS::Subscription" && word("Protocol") != Some("lambda") {
            return;
        }
        let Some(at) = self.prop(key) else { return };
        for name in at.value.named() {
            let Some(f) = stack.find(name).filter(|f| stack.node(*f).kind == Kind::Function) else { continue };
            if !out.iter().any(|a| a.function == f && a.by == i) {
                out.push(AsyncInvoke { function: f, by: i, loc: at.loc.clone() });
            }
        }
    }

    /// Two unbound raw resources of one type that name the same resources would have the
    /// same logical id, and only their order would tell them apart: the second is asked for
    /// a binding.
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        if stack.node(i).binding.is_some() {
            return;
        }
        let base = self.stem(stack);
        let earlier = stack.nodes[..i].iter().any(|n| n.binding.is_none() && matches!(&n.res, super::Res::Raw(other) if other.schema.ty == self.schema.ty && other.stem(stack) == base));
        if earlier {
            out.push(Finding::dsl(
                Dsl::Duplicate,
                Loc::resource(i),
                format!("this {} names the same resources as another unbound one: its logical id would depend on their order", self.schema.ty),
                format!("bind it, `let <name> = resource!({} {{ .. }});`, so each keeps its id when the other goes", self.schema.ty),
            ));
        }
    }

    /// An unbound raw resource is named after its type and the bindings it names, never after
    /// its position or its other properties: `LambdaPermissionBuilderNightly` (editing a
    /// property does not rename, and so replace, it).
    fn base_id(&self, stack: &Checked) -> Option<String> {
        Some(self.stem(stack))
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let lid = cx.lid(i).to_owned();
        let mut props: serde_json::Map<String, Json> = self.props.iter().map(|(k, v)| (k.clone(), template(cx, &v.value))).collect();
        // Protection, backups and snapshots left out follow the lifecycle, as a kind's do.
        crate::aws_data::deployed::derive(self.schema, &mut props, cx.lifecycle == super::schema::Lifecycle::Durable);
        if crate::aws_data::deployed::holds_data(self.schema) {
            // Data follows the lifecycle: gone with an ephemeral stack, kept by a durable one.
            let policy = if cx.lifecycle == super::schema::Lifecycle::Durable { crate::cfn::DeletionPolicy::Retain } else { crate::cfn::DeletionPolicy::Delete };
            cx.out.add_with_policy(&lid, self.schema.ty, Json::Object(props), policy);
        } else {
            cx.out.add(&lid, self.schema.ty, Json::Object(props));
        }
    }
}

/// A value as the template writes it.
fn template(cx: &SynthCx<'_>, v: &Value) -> Json {
    match v {
        Value::Str(s) => {
            let lid = |b: &str| cx.stack.find(b).map(|i| cx.lid(i).to_owned());
            let parsed = Interpolated::parse(s);
            let body = parsed.render(&format!("${{{}}}", crate::cfn::SUFFIX_PARAM), |b| lid(b).map(|l| format!("${{{l}}}")));
            // An existing resource has no logical id to `Ref`: its value is a variable of
            // the `Fn::Sub` (the parameter's `Ref`, or the import).
            let vars: serde_json::Map<String, Json> = parsed
                .words()
                .filter_map(|b| cx.stack.find(b))
                .filter(|&i| cx.stack.node(i).res.hooks().stands_for().is_some())
                .map(|i| (cx.lid(i).to_owned(), cx.ref_of(i)))
                .collect();
            let refs = parsed.words().any(|w| lid(w).is_some());
            if !vars.is_empty() {
                json!({ "Fn::Sub": [body, vars] })
            } else if refs || parsed.has_suffix() || PSEUDO.iter().any(|(p, _)| s.contains(p)) {
                json!({ "Fn::Sub": body })
            } else {
                Json::String(body)
            }
        }
        Value::Int(n) => json!(n),
        Value::Bool(b) => json!(b),
        Value::Word(w) => cx.ref_of(cx.stack.find(w).unwrap_or_default()),
        Value::Dot { target, member } => {
            let t = cx.stack.find(target).unwrap_or_default();
            match cx.stack.node(t).target_spec().attr(member) {
                Some(attr) => cx.attr_of(t, attr),
                None => get_att(cx.lid(t), member),
            }
        }
        Value::List(items) => Json::Array(items.iter().map(|x| template(cx, x)).collect()),
        Value::Map(entries) => Json::Object(entries.iter().map(|(k, x)| (k.clone(), template(cx, x))).collect()),
        Value::Call { .. } => Json::Null,
    }
}
