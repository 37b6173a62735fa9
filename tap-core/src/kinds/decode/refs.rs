//! References: a word naming a resource of the right kind, and `binding.attr` naming one
//! of its attributes, each resolved to the resource's index with every problem a finding.

use super::{Decoder, FromValue};
use crate::finding::{did_you_mean, hint, Dsl, Finding};
use crate::kinds::schema::{AttrDef, AttrExpr, AttrTy, Ty};
use crate::kinds::value::*;
use crate::kinds::Kind;
use crate::model::{Loc, Value};

impl Decoder<'_> {
    /// `name` resolved to a resource whose kind is one of `kinds`.
    pub(crate) fn resolve(&mut self, name: &str, key: &str, loc: &Loc, kinds: &'static [Kind]) -> Option<usize> {
        match self.binding(name) {
            None => {
                self.undeclared(name, loc);
                None
            }
            Some((_, k)) if !kinds.contains(&k) => {
                let ty = Ty::Ref(kinds);
                self.push(Finding::dsl(
                    Dsl::WrongKind,
                    loc.clone(),
                    format!("`{key}` expects {}, but `{name}` is a {}", ty.describe(), k.spec().noun),
                    format!("refer to a {} here", ty.describe()),
                ));
                None
            }
            // A reference property hands the resource to tap's checks (its subnets, its
            // timeouts): only the kinds an existing resource's spec names may take one.
            Some((_, k))
                if self.existing.contains(name)
                    && !Kind::from_word(&self.res.kind)
                        .is_some_and(|me| k.spec().existing.is_some_and(|e| e.referable_by.contains(&me))) =>
            {
                self.push(Finding::dsl(
                    Dsl::WrongKind,
                    loc.clone(),
                    format!(
                        "`{key}` needs a {} this stack owns, but `{name}` is an existing one outside it",
                        k.spec().noun
                    ),
                    format!(
                        "declare the {} in this stack; an existing one can be read and granted, not wired here",
                        k.spec().noun
                    ),
                ));
                None
            }
            Some((i, _)) => Some(i),
        }
    }
    /// `target.attr`, or a finding.
    pub(crate) fn attr_ref(&mut self, v: &Value, key: &str, loc: &Loc, ty: Ty) -> Option<AttrRef> {
        match v {
            Value::Dot { target, member } => {
                let (i, k) = self.declared(target, loc)?;
                let spec = k.spec();
                if let Some(ty) = self.raw_types.get(target.as_str()) {
                    let schema = crate::aws_data::registry::schema(ty)?;
                    if !schema.read_only.iter().any(|a| a == member) {
                        self.push(Finding::dsl(
                            Dsl::UnknownMember,
                            loc.clone(),
                            format!(
                                "{ty} `{target}` has no attribute `{member}`{}",
                                hint(did_you_mean(member, schema.read_only.iter().map(String::as_str)))
                            ),
                            format!(
                                "read one of: {}",
                                schema.read_only.iter().map(|a| format!("{target}.{a}")).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                        return None;
                    }
                    // Attributes of raw types are known only from the table: interned once.
                    let name: &'static str = Box::leak(member.clone().into_boxed_str());
                    let attr: &'static AttrDef = Box::leak(Box::new(AttrDef {
                        name,
                        ty: AttrTy::Text,
                        expr: AttrExpr::GetAtt(name),
                        level: None,
                        service: None,
                    }));
                    return Some(AttrRef { target: i, name: target.clone(), attr });
                }
                match spec.attr(member) {
                    Some(attr) => Some(AttrRef { target: i, name: target.clone(), attr }),
                    None => {
                        self.push(Finding::dsl(
                            Dsl::UnknownMember,
                            loc.clone(),
                            format!(
                                "{} `{target}` has no attribute `{member}`{}",
                                spec.noun,
                                hint(did_you_mean(member, spec.attrs.iter().map(|a| a.name)))
                            ),
                            format!(
                                "use one of: {}",
                                spec.attrs
                                    .iter()
                                    .map(|a| format!("{target}.{}", a.name))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        None
                    }
                }
            }
            Value::Word(w) => {
                match self.binding(w) {
                    Some((_, k)) => self.push(Finding::dsl(
                        Dsl::WrongType,
                        loc.clone(),
                        format!("`{key}` needs one attribute of `{w}`, not the whole {}", k.spec().noun),
                        format!(
                            "use one of: {}",
                            k.spec().attrs.iter().map(|a| format!("{w}.{}", a.name)).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                    None => self.undeclared(w, loc),
                }
                None
            }
            other => {
                self.wrong_type(key, &ty, other, loc);
                None
            }
        }
    }
}

impl<K: Targets> FromValue for Ref<K> {
    fn ty() -> Ty {
        Ty::Ref(K::KINDS)
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Word(name) => d.resolve(name, key, loc, K::KINDS).map(|index| Ref::new(index, name.clone())),
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

impl FromValue for AttrRef {
    fn ty() -> Ty {
        Ty::Attr
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        d.attr_ref(v, key, loc, Ty::Attr)
    }
}
