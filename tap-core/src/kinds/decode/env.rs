//! A function's environment: `UPPER_SNAKE` names bound to literals or attributes.

use super::{Decoder, FromValue};
use crate::finding::{Dsl, Finding};
use crate::kinds::schema::Ty;
use crate::kinds::value::*;
use crate::model::{Loc, Seg, Value};

impl FromValue for EnvValue {
    fn ty() -> Ty {
        Ty::Value
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Str(s) => Some(EnvValue::Literal(s.clone())),
            other => d.attr_ref(other, key, loc, Ty::Value).map(EnvValue::Attr),
        }
    }
}

fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

impl FromValue for Env {
    fn ty() -> Ty {
        Ty::Env
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut vars = Vec::new();
        let mut ok = true;
        for (name, value) in entries {
            let entry = loc.push(Seg::Key(name.clone()));
            if !is_env_name(name) {
                ok = false;
                let mut field = loc.clone();
                field.path.push(Seg::Field(name.clone()));
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field,
                    format!("environment variable `{name}` is not UPPER_SNAKE_CASE"),
                    format!("name it `{}`", name.to_uppercase()),
                ));
            }
            match EnvValue::decode(value, name, &entry, d) {
                Some(value) => vars.push(EnvVar { name: name.clone(), value, loc: entry }),
                None => ok = false,
            }
        }
        ok.then_some(Env(vars))
    }
}
