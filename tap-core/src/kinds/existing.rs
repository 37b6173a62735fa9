//! `Existing`: a resource the stack uses but does not own (the alerts topic another team
//! runs, a bucket someone else keeps, the VPC a platform team manages), named to the stack
//! by its identifier through a template parameter or another stack's export, never by a
//! literal ARN (TAP-CODE-002 refuses those).
//!
//! ```ignore
//! let alerts = resource!(Existing { kind: Topic, from: Parameter("AlertsTopicArn") });
//! let shared = resource!(Existing { kind: Bucket, from: Import("shared-data-{suffix}-BucketName") });
//! ```
//!
//! It is typed as the kind it stands for: `alerts.arn` and `alerts.name` are a topic's
//! attributes, `alerts.publish` a topic's level (with the same IAM actions, on the ARN the
//! parameter holds), and a function that binds `alerts.arn` and holds `alerts.publish`
//! gets a `Topic<Publish>` handle. The rules that judge what a stack owns (encryption,
//! removal, names, outputs) do not reach it; TAP-IAM-001/002 and the VPC route rule do.
//! Which kinds can be existing, and how their other attributes are derived from the
//! identifier, is each kind's `Spec::existing`.

use super::prelude::*;
use super::schema::{ExistingDef, Ty};
use super::decode::{Decoder, FromValue};
use crate::cfn::sub;
use crate::model::Value;

/// Where an existing resource's identifier comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A parameter of the template, given by whoever deploys it.
    Parameter(String),
    /// An output another stack exports (`Fn::ImportValue`); the name may hold `{suffix}`.
    Import(String),
}

impl FromValue for Source {
    fn ty() -> Ty {
        Ty::Shape("Parameter(\"Name\") or Import(\"export-{suffix}\")")
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        if let Value::Str(_) = v {
            // A literal ARN or name is exactly what this kind exists to avoid.
            let fix = "a literal identifier ties the stack to one account and environment: write `Parameter(\"Name\")` or `Import(\"export-{suffix}\")`";
            d.push(Finding::dsl(Dsl::WrongType, loc.clone(), format!("`{key}` expects {}, found {}", Self::ty().describe(), v.describe()), fix));
            return None;
        }
        let fix = "write `Parameter(\"Name\")` (given at deployment) or `Import(\"export-{suffix}\")` (another stack's output)";
        let (name, text) = d.string_call(v, key, loc, &Self::ty(), &["Parameter", "Import"], "where an existing resource comes from", fix)?;
        Some(if name == "Parameter" { Source::Parameter(text) } else { Source::Import(text) })
    }
}

/// The resource the link stage adds to a stack that uses another stack's resource:
/// `binding` (`network::vpc`) of kind `kind`, imported as `export`, and a VPC's subnets as
/// `subnets`.
pub fn import(binding: &str, kind: Kind, export: &str, subnets: Option<&str>) -> crate::model::Resource {
    let import = |name: &str| Value::call("Import", vec![Value::str(name)]);
    let r = crate::model::Resource::new(SPEC.word, Some(binding))
        .with("kind", Value::word(kind.word()))
        .with("from", import(export));
    match subnets {
        Some(s) => r.with("subnets", import(s)),
        None => r,
    }
}

/// The attribute a kind's subnets are exported as, for a kind whose existing form takes
/// `subnets` (a VPC's private subnets).
pub const SUBNETS_ATTR: &str = "private_subnets";

/// The kinds a resource outside the stack may be: those whose spec says how.
pub fn kinds() -> impl Iterator<Item = Kind> {
    Kind::ALL.iter().copied().filter(|k| k.spec().existing.is_some())
}

/// The kind a written `Existing { kind: K, .. }` stands for, if `K` can be existing (read
/// before decoding: references to it are typed by it).
pub fn stands_for(r: &crate::model::Resource) -> Option<Kind> {
    let Value::Word(w) = r.get("kind")? else { return None };
    Kind::from_word(w).filter(|k| k.spec().existing.is_some())
}

/// `kind: Topic`: one of [`kinds`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Of(pub Kind);

impl FromValue for Of {
    fn ty() -> Ty {
        Ty::Word(kinds().map(Kind::word).collect())
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let words: Vec<&'static str> = kinds().map(Kind::word).collect();
        d.word(v, key, loc, &words).and_then(Kind::from_word).map(Of)
    }
}

props! {
    pub struct Existing {
        /// The kind it stands for: its attributes and access levels are that kind's.
        kind: req Of,
        /// Its identifier: the attribute named in the **Existing** line of its kind.
        from: req Source,
        /// A VPC's subnets, where functions placed in it go: a `Parameter` (a list of
        /// subnet ids) or an `Import` (comma-separated ids).
        subnets: opt Source,
    }
}

pub const SPEC: Spec = Spec::new(
    "Existing",
    "existing resource",
    "A resource outside the stack, named by a parameter or an import: typed as the kind it stands for.",
    <Existing as super::decode::Decode>::PROPS,
);

/// Parameters tap writes itself, which an existing resource's parameter cannot reuse.
const RESERVED: &[&str] = &[crate::cfn::SUFFIX_PARAM, crate::cfn::ASSET_BUCKET_PARAM];

impl Existing {
    pub fn def(&self) -> &'static ExistingDef {
        self.kind.0.spec().existing.expect("`kind` decodes only to kinds with `existing`")
    }
    /// The identifier, as the template reads it.
    fn id(&self) -> Json {
        source_json(&self.from)
    }
    /// Attribute `name` of the kind it stands for, from the identifier.
    pub fn attr(&self, name: &str) -> Json {
        let def = self.def();
        if name == def.id {
            return self.id();
        }
        match def.derive.iter().find(|(a, _)| *a == name) {
            // A VPC's subnets, comma-separated, from where `subnets` names them.
            Some((_, "{subnets}")) => json!({ "Fn::Join": [",", self.subnets()] }),
            Some((_, template)) => render(template, &self.id()),
            // Attributes are checked against the kind's, and each kind with `existing`
            // derives every one (a test holds them to it).
            None => unreachable!("{} attribute `{name}` is not derived for existing resources", self.kind.0.word()),
        }
    }
    /// The VPC's subnet ids (`Ref` of a list parameter, or the split import).
    pub fn subnets(&self) -> Json {
        match self.subnets.as_deref() {
            Some(Source::Parameter(p)) => r#ref(p),
            Some(Source::Import(e)) => json!({ "Fn::Split": [",", { "Fn::ImportValue": sub(e) }] }),
            None => json!([]),
        }
    }
    /// Where its identifier, and a VPC's subnets, come from.
    fn sources(&self) -> impl Iterator<Item = &At<Source>> {
        [Some(&self.from), self.subnets.as_ref()].into_iter().flatten()
    }
    /// The export names it imports, for TAP-NAME-001.
    pub fn imports(&self) -> impl Iterator<Item = (&str, &Loc)> {
        self.sources().filter_map(|s| match &s.value {
            Source::Import(e) => Some((e.as_str(), &s.loc)),
            Source::Parameter(_) => None,
        })
    }
    fn parameters(&self) -> impl Iterator<Item = (&str, &Loc)> {
        self.sources().filter_map(|s| match &s.value {
            Source::Parameter(p) => Some((p.as_str(), &s.loc)),
            Source::Import(_) => None,
        })
    }
}

fn source_json(s: &Source) -> Json {
    match s {
        Source::Parameter(p) => r#ref(p),
        Source::Import(e) => json!({ "Fn::ImportValue": sub(e) }),
    }
}

/// A derivation template (see [`ExistingDef::derive`]) as a `Fn::Join` over the identifier.
fn render(template: &str, id: &Json) -> Json {
    let mut parts: Vec<Json> = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        let (open, close) = if rest.starts_with("${") { ("${", '}') } else if rest.starts_with('{') { ("{", '}') } else { ("", ' ') };
        let end = if open.is_empty() { None } else { rest.find(close) };
        let Some(end) = end else {
            // Up to the next placeholder: `${..}` or `{..}`.
            let next = rest[1..].find('{').map_or(rest.len(), |n| if rest[..=n].ends_with('$') { n } else { n + 1 });
            text.push_str(&rest[..next]);
            rest = &rest[next..];
            continue;
        };
        let inner = &rest[open.len()..end];
        if !text.is_empty() {
            parts.push(Json::String(std::mem::take(&mut text)));
        }
        parts.push(if open == "${" {
            r#ref(inner)
        } else if inner == "id" {
            id.clone()
        } else {
            let field = inner.strip_prefix("arn:").expect("derive placeholders are {id}, {arn:N} or {arn:N/M}");
            let (n, m) = field.split_once('/').map_or((field, None), |(n, m)| (n, Some(m)));
            let n: usize = n.parse().expect("an ARN field number");
            let select = json!({ "Fn::Select": [n, { "Fn::Split": [":", id] }] });
            match m {
                Some(m) => json!({ "Fn::Select": [m.parse::<usize>().expect("a path part number"), { "Fn::Split": ["/", select] }] }),
                None => select,
            }
        });
        rest = &rest[end + 1..];
    }
    if !text.is_empty() {
        parts.push(Json::String(text));
    }
    match parts.as_slice() {
        [one] => one.clone(),
        _ => json!({ "Fn::Join": ["", parts] }),
    }
}

impl Hooks for Existing {
    fn stands_for(&self) -> Option<Kind> {
        Some(self.kind.0)
    }

    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        let def = self.def();
        match (&self.subnets, def.subnets) {
            (None, true) => out.push(Finding::dsl(
                Dsl::Missing,
                self.from.loc.clone(),
                format!("{label} needs `subnets`: the functions placed in it go there"),
                "add `subnets: Parameter(\"PrivateSubnetIds\")` (a list of subnet ids) or an `Import` of comma-separated ids",
            )),
            (Some(s), false) => out.push(Finding::dsl(
                Dsl::UnknownProperty,
                s.loc.clone(),
                format!("{label} has no subnets: only an existing VPC takes `subnets`"),
                "remove `subnets`",
            )),
            _ => {}
        }
        for (p, loc) in self.parameters() {
            let valid = !p.is_empty() && p.len() <= 255 && p.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                out.push(Finding::dsl(
                    Dsl::WrongType,
                    loc.clone(),
                    format!("\"{p}\" cannot be a template parameter's name"),
                    "use letters and digits only, like \"AlertsTopicArn\"",
                ));
            } else if RESERVED.contains(&p) || p.ends_with("CodeKey") {
                out.push(Finding::dsl(Dsl::Duplicate, loc.clone(), format!("parameter \"{p}\" is one tap writes itself"), "choose another name"));
            } else if stack.of::<Existing>().take_while(|(j, _)| *j < i).any(|(_, e)| e.parameters().any(|(q, _)| q == p)) {
                out.push(Finding::dsl(
                    Dsl::Duplicate,
                    loc.clone(),
                    format!("parameter \"{p}\" names two existing resources"),
                    "use the first one's binding, or give each its own parameter",
                ));
            }
        }
    }

    fn own_attr(&self, _cx: &SynthCx<'_>, attr: &AttrDef, _lid: &str) -> Json {
        self.attr(attr.name)
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let def = self.def();
        let spec = self.kind.0.spec();
        let binding = cx.stack.binding(i).to_owned();
        if let Source::Parameter(p) = &*self.from {
            let mut body = json!({
                "Type": def.param_type,
                "Description": format!("{} of the existing {} `{binding}` (outside this stack)", def.id, spec.noun),
            });
            if let Some(pattern) = def.pattern {
                body["AllowedPattern"] = json!(pattern);
                body["ConstraintDescription"] = json!(format!("the {} of an existing {}", def.id, spec.noun));
            }
            cx.out.parameter(p, body);
        }
        if let Some(Source::Parameter(p)) = self.subnets.as_deref() {
            cx.out.parameter(
                p,
                json!({ "Type": "List<AWS::EC2::Subnet::Id>", "Description": format!("subnets of the existing VPC `{binding}` that its functions are placed in") }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_existing_kind_derives_every_attribute() {
        for kind in kinds() {
            let spec = kind.spec();
            let def = spec.existing.unwrap();
            for a in spec.attrs {
                assert!(a.name == def.id || def.derive.iter().any(|(n, _)| *n == a.name), "{}: `{}` is not derived", spec.word, a.name);
            }
            for (n, _) in def.derive {
                assert!(spec.attr(n).is_some(), "{}: derives unknown `{n}`", spec.word);
            }
        }
    }

    #[test]
    fn templates_render_to_joins_over_the_identifier() {
        let id = r#ref("QueueArn");
        assert_eq!(render("{id}", &id), id);
        assert_eq!(render("{arn:5}", &id), json!({ "Fn::Select": [5, { "Fn::Split": [":", id] }] }));
        assert_eq!(
            render("arn:${AWS::Partition}:s3:::{id}", &id),
            json!({ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":s3:::", id]] })
        );
        let url = render("https://sqs.{arn:3}.${AWS::URLSuffix}/{arn:4}/{arn:5}", &id);
        assert_eq!(url["Fn::Join"][1].as_array().unwrap().len(), 8);
        assert_eq!(render("{arn:5/1}", &id)["Fn::Select"][0], json!(1));
    }
}
