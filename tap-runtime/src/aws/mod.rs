//! Handles (feature `aws`): each resource a function was granted, as an AWS SDK for Rust
//! client whose type carries the grant.
//!
//! `#[stack]` generates, beside each function's `Env`, a `Handles` struct with one field
//! per granted resource whose identifying attribute (a bucket's name, a queue's URL, ...)
//! the function binds: `archive_bucket: Bucket<Write>`. A granted operation is a method
//! returning the SDK's own fluent builder with the resource filled in, so every SDK option
//! stays at hand. An operation the grant does not cover is a method whose bound the access
//! type does not meet, and calling it is TAP-IAM-003 at the call, naming the grant to add.
//! There is no way to reach the SDK client underneath: that would be a way around the
//! grant.
//!
//! One table of truth: each operation lists the IAM actions it needs ([`OPS`]); each
//! access level in `kinds/` lists the actions it grants. A test holds that they agree
//! exactly, so a grant gives no action that no operation needs, and no operation needs an
//! action its level lacks.

use crate::bindings::Bound;

pub use aws_config::SdkConfig;

/// This crate's part of the services table (`__for_each_service!`, in `lib.rs`): each
/// service's module and handle under its feature, and every operation of the handles built.
macro_rules! services {
    ($($Handle:ident $module:ident $feature:literal $noun:literal $requires:ident;)*) => {
        $(
            #[cfg(feature = $feature)]
            pub mod $module;
            #[cfg(feature = $feature)]
            pub use $module::$Handle;
        )*

        /// Every operation of every handle this build has.
        pub fn ops() -> impl Iterator<Item = &'static Op> {
            let tables = [$({
                #[cfg(feature = $feature)]
                let ops: &'static [Op] = $module::OPS;
                #[cfg(not(feature = $feature))]
                let ops: &'static [Op] = &[];
                ops
            }),*];
            tables.into_iter().flatten()
        }
    };
}

crate::__for_each_service!(services);

/// The access a grant gives, as types: a handle is `Bucket<Write>` when its function was
/// granted `bucket.write`. Named after the access levels of the kinds.
pub mod access {
    /// An access level, by its name in the stack (`write`).
    pub trait Access {
        const LEVEL: &'static str;
    }
    macro_rules! levels {
        ($($(#[$doc:meta])* $ty:ident = $name:literal;)+) => {$(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug)]
            pub enum $ty {}
            impl Access for $ty {
                const LEVEL: &'static str = $name;
            }
        )+};
    }
    levels! {
        /// `read`: a bucket's objects, a secret's value, a stream's records, a table's items.
        Read = "read";
        /// `write`: a bucket's objects, a stream's records, a table's items.
        Write = "write";
        /// `read_write`: both.
        ReadWrite = "read_write";
        /// `send`: a queue's messages.
        Send = "send";
        /// `consume`: receive and delete a queue's messages.
        Consume = "consume";
        /// `publish`: a topic's messages.
        Publish = "publish";
    }
}

/// One operation of a handle and what it needs: the table the agreement test reads.
#[derive(Debug)]
pub struct Op {
    /// The handle type: `Bucket`.
    pub handle: &'static str,
    /// The method: `put_object`.
    pub name: &'static str,
    /// The IAM actions the call needs.
    pub actions: &'static [&'static str],
    /// The access levels whose handles have it.
    pub levels: &'static [&'static str],
    /// The compile error a call without the grant gets.
    pub message: &'static str,
}

/// What every handle holds: the client and the resource's identifier, read from the
/// variable the stack bound.
struct Inner<C> {
    client: C,
    id: String,
    variable: &'static str,
}

/// Declares a handle: its type over an access marker, one trait per capability (the set of
/// levels that allow a group of operations, with the compile error a call without one of
/// them gets), and each operation with the IAM actions it needs. The same declaration
/// writes the methods and the [`Op`] table, so they cannot drift.
macro_rules! handle {
    (
        $(#[$doc:meta])*
        pub struct $Handle:ident($sdk:ident);
        client = |$sdkcfg:ident| $client:expr;
        $(
            $(#[doc = $cap_doc:literal])*
            #[diagnostic::on_unimplemented(message = $msg:literal, label = $label:literal, $(note = $note:literal),+)]
            capability $Cap:ident for $levels:tt {
                $(
                    $(#[doc = $op_doc:literal])*
                    fn $op:ident -> $Builder:ty = [$($action:literal),+] |$c:ident, $id:ident| $build:expr;
                )+
            }
        )+
    ) => {
        $(#[$doc])*
        pub struct $Handle<A: $crate::aws::access::Access> {
            inner: $crate::aws::Inner<$sdk::Client>,
            access: ::std::marker::PhantomData<fn() -> A>,
        }

        impl<A: $crate::aws::access::Access> $Handle<A> {
            /// Called by the `Handles` code `#[stack]` generates, with the variable the stack
            /// bound to this resource; not for hand-written code, whose access would then be
            /// whatever it claims instead of what the stack granted.
            #[doc(hidden)]
            pub fn __bind($sdkcfg: &$crate::aws::SdkConfig, bound: &$crate::bindings::Bound<String>) -> Self {
                $Handle { inner: $crate::aws::Inner::new($client, bound), access: ::std::marker::PhantomData }
            }
            /// The resource's identifier, as the stack bound it.
            pub fn id(&self) -> &str {
                &self.inner.id
            }
            /// The access level the function was granted: `write`.
            pub fn level(&self) -> &'static str {
                <A as $crate::aws::access::Access>::LEVEL
            }
        }

        impl<A: $crate::aws::access::Access> ::std::fmt::Debug for $Handle<A> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}<{}>({:?} from {})", stringify!($Handle), self.level(), self.inner.id, self.inner.variable)
            }
        }

        $(
            $(#[doc = $cap_doc])*
            #[diagnostic::on_unimplemented(message = $msg, label = $label, $(note = $note),+)]
            pub trait $Cap: $crate::aws::access::Access {}
            $crate::aws::impls!($Cap $levels);

            impl<A: $crate::aws::access::Access> $Handle<A> {
                $(
                    $(#[doc = $op_doc])*
                    #[doc = concat!("\n\nIAM: ", $("`", $action, "` "),+, "(granted by ", stringify!($levels), ").")]
                    pub fn $op(&self) -> $Builder
                    where
                        A: $Cap,
                    {
                        let ($c, $id) = (&self.inner.client, self.inner.id.as_str());
                        $build
                    }
                )+
            }
        )+

        /// The operations of this handle and what each needs.
        pub const OPS: &[$crate::aws::Op] = &[$($(
            $crate::aws::Op {
                handle: stringify!($Handle),
                name: stringify!($op),
                actions: &[$($action),+],
                levels: $crate::aws::levels!($levels),
                message: $msg,
            },
        )+)+];
    };
}

/// `impl Cap for access::Read {}` for each level of a capability.
macro_rules! impls {
    ($Cap:ident [$($Level:ident),+]) => {
        // Not listed under a failed call: the error's own note names the grants to add.
        $(#[diagnostic::do_not_recommend] impl $Cap for $crate::aws::access::$Level {})+
    };
}

/// The level names of a capability.
macro_rules! levels {
    ([$($Level:ident),+]) => {
        &[$(<$crate::aws::access::$Level as $crate::aws::access::Access>::LEVEL),+]
    };
}

pub(crate) use {handle, impls, levels};

impl<C> Inner<C> {
    fn new(client: C, bound: &Bound<String>) -> Self {
        Inner { client, id: bound.as_str().to_owned(), variable: bound.variable() }
    }
}
