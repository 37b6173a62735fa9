//! The literals of the bag: strings, names, paths, booleans, bounded integers, the code a
//! function runs, the AWS service an endpoint reaches, and lists of any of them.

use super::{Decoder, FromValue};
use crate::finding::{Dsl, Finding};
use crate::kinds::schema::Ty;
use crate::kinds::value::*;
use crate::model::{Loc, Seg, Value};

/// A property type that is one literal of the bag: a string, a name, a path, a boolean.
macro_rules! literal {
    ($ty:ty, $variant:ident($v:ident) => $make:expr, $kind:expr) => {
        impl FromValue for $ty {
            fn ty() -> Ty {
                $kind
            }
            fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
                match v {
                    Value::$variant($v) => Some($make),
                    other => {
                        d.wrong_type(key, &Self::ty(), other, loc);
                        None
                    }
                }
            }
        }
    };
}

literal!(String, Str(s) => s.clone(), Ty::Str);
literal!(Name, Str(s) => Name(s.clone()), Ty::Name);
literal!(RelPath, Str(s) => RelPath(s.clone()), Ty::Path);
literal!(bool, Bool(b) => *b, Ty::Bool);

impl<const MIN: i64, const MAX: i64> FromValue for Int<MIN, MAX> {
    fn ty() -> Ty {
        Ty::Int { min: MIN, max: MAX }
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        match v {
            Value::Int(n) if (MIN..=MAX).contains(n) => Some(Int(*n)),
            Value::Int(n) => {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    loc.clone(),
                    format!("`{key}` is {n}, outside {MIN}..={MAX}"),
                    format!("choose a value from {MIN} to {MAX}"),
                ));
                None
            }
            other => {
                d.wrong_type(key, &Self::ty(), other, loc);
                None
            }
        }
    }
}

impl FromValue for Code {
    fn ty() -> Ty {
        Ty::Code
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let fix = "write `Bin(\"binary-name\")` (a binary of this crate) or `Dir(\"path\")`";
        let (name, text) = d.string_call(v, key, loc, &Self::ty(), &["Bin", "Dir", "Inline"], "a code source", fix)?;
        Some(match name {
            "Bin" => Code::Bin(text),
            "Dir" => Code::Dir(text),
            _ => Code::Inline(text),
        })
    }
}

impl FromValue for Service {
    fn ty() -> Ty {
        Ty::Word(Service::all().map(|s| s.word).collect())
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let words: Vec<&'static str> = Service::all().map(|s| s.word).collect();
        let word = d.word(v, key, loc, &words)?;
        Service::all().find(|s| s.word == word).map(Service)
    }
}

impl<T: FromValue> FromValue for Vec<At<T>> {
    fn ty() -> Ty {
        Ty::List(Box::new(T::ty()))
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::List(items) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (n, item) in items.iter().enumerate() {
            let at = loc.push(Seg::Index(n));
            match T::decode(item, key, &at, d) {
                Some(value) => out.push(At { value, loc: at }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}
