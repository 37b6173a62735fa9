//! The two declarations a kind file is written in: `words!` for a closed vocabulary and
//! `props!` for a kind's properties. Each declares a thing once and derives everything
//! else from it (the schema a message or the guide prints, the decoder, the typed fields),
//! so a property cannot be in the schema and missing from the struct, or the reverse.

/// A closed vocabulary: an enum whose variants are the words the DSL accepts.
///
/// ```ignore
/// words! { pub enum Removal { Destroy, Retain, Snapshot } }
/// ```
macro_rules! words {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vm])* $v),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            pub const WORDS: &'static [&'static str] = &[$(stringify!($v)),*];
            /// The word as written in the DSL.
            pub fn word(self) -> &'static str {
                match self { $($name::$v => stringify!($v)),* }
            }
            pub fn from_word(w: &str) -> Option<Self> {
                match w { $(stringify!($v) => Some($name::$v),)* _ => None }
            }
        }

        impl $crate::kinds::decode::FromValue for $name {
            fn ty() -> $crate::kinds::schema::Ty {
                $crate::kinds::schema::Ty::Word(Self::WORDS.to_vec())
            }
            fn decode(v: &$crate::model::Value, key: &str, loc: &$crate::model::Loc, d: &mut $crate::kinds::decode::Decoder<'_>) -> Option<Self> {
                d.word(v, key, loc, Self::WORDS).and_then(Self::from_word)
            }
        }
    };
}

/// How a `words!` vocabulary is written in the files tap shares with other programs
/// (`stack.json`, the reports): by another word than the DSL's, the one its reader knows
/// (CloudFormation's runtime name, a lifecycle's directory). Derives the reverse look-up and
/// serde's two impls from the one function, so the two directions cannot disagree.
///
/// ```ignore
/// wire_words!(Runtime, cfn, from_cfn);
/// ```
macro_rules! wire_words {
    ($name:ident, $word:ident, $from:ident) => {
        impl $name {
            /// The value written as `word` (the reverse of [`Self::$word`]).
            pub fn $from(word: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.$word() == word)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$word())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::$from(&word).ok_or_else(|| {
                    let known: Vec<&str> = Self::ALL.iter().map(|v| v.$word()).collect();
                    serde::de::Error::custom(format!("`{word}` is not one of {}", known.join(", ")))
                })
            }
        }
    };
}

/// A kind's properties: the typed struct rules and synthesis read, and its schema.
/// `req` fields are always there after a successful check; `opt` fields may be absent.
///
/// ```ignore
/// props! {
///     pub struct Stream {
///         name: opt Name,
///         shards: req Int<1, 500>,
///     }
/// }
/// ```
macro_rules! props {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[doc = $fdoc:literal])* $field:ident : $mode:ident $ty:ty),* $(,)? }) => {
        $(#[$m])*
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: props!(@field $mode $ty),)*
        }

        impl $crate::kinds::decode::Decode for $name {
            const PROPS: &'static [$crate::kinds::schema::Prop] = &[
                $($crate::kinds::schema::Prop {
                    name: stringify!($field),
                    required: props!(@required $mode),
                    ty: <$ty as $crate::kinds::decode::FromValue>::ty,
                    doc: concat!($($fdoc, "\n",)*),
                }),*
            ];
            fn decode(d: &mut $crate::kinds::decode::Decoder<'_>) -> Option<Self> {
                // Every property is decoded before any is unwrapped, so one resource
                // reports all of its problems at once.
                $(let $field = d.$mode::<$ty>(stringify!($field));)*
                Some($name { $($field: $field?,)* })
            }
            #[allow(unused_variables)]
            fn physical_name(&self) -> Option<&$crate::kinds::value::At<$crate::kinds::value::Name>> {
                let this = self;
                props!(@find this name; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn removal(&self) -> Option<&$crate::kinds::value::At<$crate::kinds::schema::Removal>> {
                let this = self;
                props!(@find this removal; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn deletion_protection(&self) -> Option<&$crate::kinds::value::At<bool>> {
                let this = self;
                props!(@find this deletion_protection; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn disposable(&self) -> Option<&$crate::kinds::value::At<String>> {
                let this = self;
                props!(@find this disposable; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn backup_retention_days(&self) -> Option<$crate::kinds::value::At<i64>> {
                let this = self;
                props!(@find this backup_retention_days; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn snapshot_retention(&self) -> Option<$crate::kinds::value::At<i64>> {
                let this = self;
                props!(@find this snapshot_retention; $($field $mode)*)
            }
            #[allow(unused_variables)]
            fn point_in_time_recovery(&self) -> Option<&$crate::kinds::value::At<bool>> {
                let this = self;
                props!(@find this point_in_time_recovery; $($field $mode)*)
            }
        }
    };
    // `@find`: the optional property named `$want`, if the struct declares one, so a kind
    // cannot have a physical name, a removal or a backup that the rules do not see. (Matched on name
    // and mode; the accessor's return type checks that the property has the right type.)
    (@find $this:ident $want:ident; ) => { None };
    (@find $this:ident name; name opt $($rest:tt)*) => { $this.name.as_ref() };
    (@find $this:ident removal; removal opt $($rest:tt)*) => { $this.removal.as_ref() };
    (@find $this:ident disposable; disposable opt $($rest:tt)*) => { $this.disposable.as_ref() };
    (@find $this:ident deletion_protection; deletion_protection opt $($rest:tt)*) => { $this.deletion_protection.as_ref() };
    (@find $this:ident point_in_time_recovery; point_in_time_recovery opt $($rest:tt)*) => { $this.point_in_time_recovery.as_ref() };
    // Retention in days, whatever the bounds the kind gives it.
    (@find $this:ident backup_retention_days; backup_retention_days opt $($rest:tt)*) => { $this.backup_retention_days.as_ref().map($crate::kinds::value::At::days) };
    (@find $this:ident snapshot_retention; snapshot_retention opt $($rest:tt)*) => { $this.snapshot_retention.as_ref().map($crate::kinds::value::At::days) };
    (@find $this:ident $want:ident; $field:ident $mode:ident $($rest:tt)*) => { props!(@find $this $want; $($rest)*) };
    (@field req $ty:ty) => { $crate::kinds::value::At<$ty> };
    (@field opt $ty:ty) => { Option<$crate::kinds::value::At<$ty>> };
    (@required req) => { true };
    (@required opt) => { false };
}
