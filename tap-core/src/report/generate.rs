//! What `#[stack]` generates for each function of a stack, computed here and rendered by
//! tap-macros: the fields of its typed `Env` (each variable, typed by the attribute it
//! binds), the schemas of the databases it uses, and its `Handles` (one per granted
//! resource, typed by the grant). From the checked view when the stack decoded; from the
//! property bag, as far as it reads, when it did not, so code that reads a function's `Env`
//! reports nothing beyond the stack's own errors.

use std::path::PathBuf;

use crate::cfn::pascal;
use crate::kinds::database::Database;
use crate::kinds::existing;
use crate::kinds::function::{self, Function};
use crate::kinds::schema::{AttrTy, Spec};
use crate::kinds::value::{EnvValue, Grant};
use crate::kinds::view::FromIndex;
use crate::kinds::{Checked, Kind};
use crate::model::{Stack, Value};

/// What `#[stack]` generates for one function: its `Env` fields, the schemas of the
/// databases it uses and the handles of the resources it was granted.
pub struct FunctionBindings {
    /// The function's binding: the module name.
    pub module: String,
    pub vars: Vec<BoundVar>,
    /// `<DB>_SCHEMA` constant name and the schema file's path.
    pub schemas: Vec<(String, PathBuf)>,
    pub handles: Vec<BoundHandle>,
}

/// A resource the function was granted and binds the identifying attribute of: a field of
/// its `Handles`, `archive_bucket: tap::aws::Bucket<tap::aws::access::Write>`.
pub struct BoundHandle {
    /// The resource's binding: the field name.
    pub field: String,
    /// The handle type in `tap::aws`: `Bucket`.
    pub ty: &'static str,
    /// The access marker in `tap::aws::access`: `Write` (the level's name in PascalCase).
    pub access: String,
    /// The variable holding the identifier: `ARCHIVE_BUCKET`.
    pub var: String,
}

impl BoundHandle {
    /// The level as the stack writes it: `read_write`.
    pub fn access_level(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.access.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    /// The handle of `target` when the function binds its identifying attribute `member`
    /// in `var` and holds exactly the grants `levels` on it: one level gives the handle's
    /// access; none, or more than one (TAP-IAM-002 asks for the combined level), gives none.
    fn of(target: &str, spec: &Spec, member: &str, var: &str, levels: &[&str]) -> Option<BoundHandle> {
        let handle = spec.handle.as_ref().filter(|h| h.attr == member)?;
        let [level] = levels else { return None };
        spec.level(level)?;
        Some(BoundHandle { field: target.to_owned(), ty: handle.ty, access: pascal(level), var: var.to_owned() })
    }
}

/// Adds `h` unless the resource already has its handle (two variables bound to it).
fn push_handle(handles: &mut Vec<BoundHandle>, h: Option<BoundHandle>) {
    if let Some(h) = h {
        if !handles.iter().any(|o| o.field == h.field) {
            handles.push(h);
        }
    }
}

pub struct BoundVar {
    pub var: String,
    /// What the stack binds it to: `database.endpoint`, or `the literal "..."`.
    pub source: String,
    pub ty: AttrTy,
}

/// The bindings of a stack that failed validation, read from the bag as far as it goes
/// (variables typed by the attribute they name, no schemas): the macro still emits them,
/// so code that reads a function's `Env` reports nothing beyond the stack's own errors.
pub fn bindings_unchecked(stack: &Stack) -> Vec<FunctionBindings> {
    // An existing resource is typed as the kind it stands for.
    let spec_of = |target: &str| {
        let r = stack.resources.iter().find(|r| r.binding.as_deref() == Some(target))?;
        let kind = Kind::from_word(&r.kind)?;
        Some(if kind == Kind::Existing { existing::stands_for(r)? } else { kind }.spec())
    };
    let attr_ty =
        |target: &str, member: &str| spec_of(target).and_then(|s| s.attr(member)).map_or(AttrTy::Text, |a| a.ty);
    stack
        .resources
        .iter()
        .filter(|r| r.kind == function::SPEC.word)
        .filter_map(|r| {
            let module = r.binding.clone()?;
            let grants = function::written_grants(r);
            let mut vars = Vec::new();
            let mut handles = Vec::new();
            for (var, value) in function::written_env(r) {
                let Value::Dot { target, member } = value else {
                    let literal = format!("the literal {:?}", value.as_str().unwrap_or_default());
                    vars.push(BoundVar { var: var.clone(), source: literal, ty: AttrTy::Text });
                    continue;
                };
                vars.push(BoundVar {
                    var: var.clone(),
                    source: format!("{target}.{member}"),
                    ty: attr_ty(target, member),
                });
                let levels: Vec<&str> = grants.iter().filter(|(t, _)| t == target).map(|(_, l)| *l).collect();
                let handle = spec_of(target).and_then(|s| BoundHandle::of(target, s, member, var, &levels));
                push_handle(&mut handles, handle);
            }
            Some(FunctionBindings { module, vars, schemas: Vec::new(), handles })
        })
        .collect()
}

/// The bindings of every bound function of a checked stack.
pub fn bindings(stack: &Checked) -> Vec<FunctionBindings> {
    stack
        .of::<Function>()
        .filter_map(|(i, f)| {
            let module = stack.node(i).binding.clone()?;
            let mut vars = Vec::new();
            let mut schemas: Vec<(String, PathBuf)> = Vec::new();
            let mut handles = Vec::new();
            for v in f.env() {
                let (source, ty) = match &v.value {
                    EnvValue::Attr(a) => (format!("{}.{}", a.name, a.attr.name), a.attr.ty),
                    EnvValue::Literal(s) => (format!("the literal {s:?}"), AttrTy::Text),
                };
                vars.push(BoundVar { var: v.name.clone(), source, ty });
                let EnvValue::Attr(a) = &v.value else { continue };
                let levels: Vec<&str> = f
                    .grants()
                    .iter()
                    .filter_map(|g| match &g.value {
                        Grant::Level { target, level, .. } if *target == a.target => Some(level.name),
                        _ => None,
                    })
                    .collect();
                push_handle(
                    &mut handles,
                    BoundHandle::of(&a.name, stack.node(a.target).target_spec(), a.attr.name, &v.name, &levels),
                );
                let Some(db) = Database::from_index(stack, a.target) else { continue };
                let Some(schema) = &db.schema else { continue };
                let name = format!("{}_SCHEMA", a.name.to_uppercase());
                let path = stack.root.join(&schema.0);
                // A missing file is TAP-DATA-002's to report, not include_str!'s.
                if path.is_file() && !schemas.iter().any(|(n, _)| *n == name) {
                    schemas.push((name, path));
                }
            }
            Some(FunctionBindings { module, vars, schemas, handles })
        })
        .collect()
}
