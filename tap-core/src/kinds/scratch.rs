//! `Scratch`: a data store that exists only in this crate's unit tests, registered by one
//! `#[cfg(test)]` line in `kinds!`. It is the proof of CONTRIBUTING's promise that a kind is
//! its file and that line: nothing else in the crate names it, and the tests below show it
//! decoded, judged by the rules about data (names, encryption, removal, protection,
//! backups) and synthesised.

use super::prelude::*;

props! {
    pub struct Scratch {
        name: opt Name,
        /// Default `false`; TAP-ENC-001 asks for `true`.
        encrypted: opt bool,
        removal: opt Removal,
        /// Deleted with the stack even when the deployment is durable, for this reason.
        disposable: opt String,
        /// Default by lifecycle: 0 when ephemeral, 7 when durable.
        backup_retention_days: opt Int<0, 35>,
        /// Default by lifecycle: off when ephemeral, on when durable.
        deletion_protection: opt bool,
    }
}

pub const SPEC: Spec = Spec {
    naming: Some(Naming { min: 3, max: 40, extra: "-", lowercase: true, letter_first: true }),
    keep: Some(crate::cfn::DeletionPolicy::Retain),
    ..Spec::new("Scratch", "scratch store", "A test-only data store.", <Scratch as super::decode::Decode>::PROPS)
};

impl Hooks for Scratch {
    fn encryption(&self, i: usize) -> Vec<Encrypted> {
        let on = on(&self.encrypted);
        vec![Encrypted::of(&self.encrypted, i, on, "is not encrypted at rest", "write `encrypted: true`")]
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let keeps = cx.keeps(i);
        let days = self.backup_retention_days.as_deref().map_or(if keeps { 7 } else { 0 }, |d| d.get());
        let protected = self.deletion_protection.as_deref().copied().unwrap_or(keeps);
        let props = json!({
            "Name": sub(written(&self.name)),
            "Encrypted": on(&self.encrypted),
            "BackupRetentionDays": days,
            "DeletionProtection": protected,
        });
        cx.add_data(i, &l, "Test::Scratch::Store", props);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Resource, Stack, Value};

    fn store(props: &[(&str, Value)]) -> Resource {
        props.iter().fold(Resource::new("Scratch", Some("ledger")), |r, (k, v)| r.with(k, v.clone()))
    }

    /// Every finding of the stack (synthesis refuses a stack with one, and names them all).
    fn ids(stack: &Stack) -> Vec<&'static str> {
        let mut ids = stack.synth().err().map(|f| f.ids()).unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn a_new_kind_is_decoded_and_synthesised_from_its_file_alone() {
        let good = store(&[
            ("name", Value::str("ledger-{suffix}")),
            ("encrypted", Value::Bool(true)),
            ("removal", Value::word("Destroy")),
        ]);
        let template = Stack::new("Books").with_resource(good).synth().expect("a correct store passes").0;
        let r = &template["Resources"]["Ledger"];
        assert_eq!(r["Type"], "Test::Scratch::Store");
        assert_eq!(r["Properties"]["Name"]["Fn::Sub"], "ledger-${EnvironmentSuffix}");
        assert_eq!(r["Properties"]["BackupRetentionDays"], 0, "an ephemeral deployment keeps no backups");
        assert_eq!(r["DeletionPolicy"], "Delete");
        // A value of the wrong type is the decoder's finding, on the property.
        let wrong = store(&[("encrypted", Value::str("yes"))]);
        assert!(ids(&Stack::new("Books").with_resource(wrong)).contains(&"TAP-DSL-003"));
    }

    #[test]
    fn a_new_kind_is_judged_by_the_rules_about_data() {
        let careless = store(&[
            ("name", Value::str("ledger")),
            ("removal", Value::word("Retain")),
            ("backup_retention_days", Value::Int(7)),
            ("deletion_protection", Value::Bool(true)),
        ]);
        let found = ids(&Stack::new("Books").with_resource(careless));
        for id in ["TAP-NAME-001", "TAP-ENC-001", "TAP-DESTROY-001", "TAP-DESTROY-003", "TAP-DESTROY-004"] {
            assert!(found.contains(&id), "{id} missing from {found:?}");
        }
        // Kept by a durable deployment, it must keep its backups and its protection.
        let thin = store(&[
            ("name", Value::str("ledger-{suffix}")),
            ("encrypted", Value::Bool(true)),
            ("backup_retention_days", Value::Int(1)),
            ("deletion_protection", Value::Bool(false)),
        ]);
        let durable = Stack::new("Books").with_lifecycles(["Durable"]).with_resource(thin);
        let found = ids(&durable);
        for id in ["TAP-KEEP-002", "TAP-KEEP-003"] {
            assert!(found.contains(&id), "{id} missing from {found:?}");
        }
    }
}
