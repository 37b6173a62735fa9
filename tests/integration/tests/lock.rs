//! The lock of kept identities on the product catalog's durable lifecycle, against the lock
//! committed beside its source (`tap-stack/src/ProductCatalog.tap.lock`): renaming the
//! database's binding is refused until it is said to have moved, and then its logical id is
//! unchanged; deleting the archive bucket is refused until it is forgotten with a reason,
//! and then the delete plan lists it as left in the account; a lock edited by hand is
//! refused. (The same errors at their tokens, from the macro: `tests/ui/lock/`.)

use tap::lock::{self, Lock};
use tap::{Lifecycle, Stack, Value};

const LOCK: &str = include_str!("../../../tap-stack/src/ProductCatalog.tap.lock");

/// Every reference to `from` in the stack, renamed to `to` (`x`, `x.member`, `{x}`).
fn rename_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Word(w) | Value::Dot { target: w, .. } if w == from => *w = to.to_owned(),
        Value::Str(s) => *s = s.replace(&format!("{{{from}}}"), &format!("{{{to}}}")),
        Value::List(items) | Value::Call { args: items, .. } => items.iter_mut().for_each(|x| rename_refs(x, from, to)),
        Value::Map(entries) => entries.iter_mut().for_each(|(_, x)| rename_refs(x, from, to)),
        _ => {}
    }
}

fn renamed(stack: &mut Stack, from: &str, to: &str) -> usize {
    for r in &mut stack.resources {
        r.props.iter_mut().for_each(|(_, v)| rename_refs(v, from, to));
    }
    let i = stack.find(from).unwrap();
    stack.resources[i].binding = Some(to.to_owned());
    i
}

/// Every value that names `binding`, dropped (a list item, a map entry, a property), and
/// every resource left with nothing to stand for (its output).
fn without(mut stack: Stack, binding: &str) -> Stack {
    fn names(v: &Value, b: &str) -> bool {
        v.named().contains(&b)
    }
    fn prune(v: &mut Value, b: &str) {
        match v {
            Value::List(items) => {
                items.retain(|x| !names(x, b) || matches!(x, Value::List(_) | Value::Map(_)));
                items.iter_mut().for_each(|x| prune(x, b));
            }
            Value::Map(entries) => {
                entries.retain(|(_, x)| !names(x, b) || matches!(x, Value::List(_) | Value::Map(_)));
                entries.iter_mut().for_each(|(_, x)| prune(x, b));
            }
            _ => {}
        }
    }
    stack.resources.retain(|r| r.binding.as_deref() != Some(binding));
    stack.resources.retain(|r| !(r.kind == "Output" && r.props.iter().any(|(_, v)| names(v, binding))));
    for r in &mut stack.resources {
        r.props.iter_mut().for_each(|(_, v)| prune(v, binding));
    }
    stack
}

/// The stack's findings, and what its lock says of it against the committed lock.
fn judged(stack: &Stack) -> (Vec<String>, lock::Verdict) {
    let outcome = tap::check_all(stack);
    let findings: Vec<String> = outcome.findings.0.iter().map(|f| f.to_string()).collect();
    let checked = outcome.checked.unwrap_or_else(|| panic!("{findings:?}"));
    let verdict = lock::check(&checked, Some(LOCK), findings.is_empty(), true);
    (findings, verdict)
}

#[test]
fn the_committed_lock_is_the_product_catalogs() {
    let (findings, verdict) = judged(&tap_stack::product_catalog());
    assert!(findings.is_empty() && verdict.findings.is_empty(), "{findings:?} {:?}", verdict.findings);
    let lock = Lock::parse("ProductCatalog", LOCK).unwrap();
    let ids: Vec<&str> = lock.entries.iter().map(|e| e.logical_id.as_str()).collect();
    assert!(ids.contains(&"Database") && ids.contains(&"ArchiveBucket"), "{ids:?}");
}

#[test]
fn renaming_the_database_needs_moved_and_keeps_its_logical_id() {
    let mut stack = tap_stack::product_catalog();
    let i = renamed(&mut stack, "database", "catalog_db");
    let (findings, verdict) = judged(&stack);
    assert!(findings.is_empty(), "{findings:?}");
    let said: Vec<String> = verdict.findings.iter().map(|f| f.to_string()).collect();
    assert_eq!(verdict.findings.iter().map(|f| f.id).collect::<Vec<_>>(), ["TAP-LOCK-001"], "{said:?}");
    assert!(said[0].contains("under its new logical id `CatalogDb`"), "{said:?}");
    assert!(said[0].contains("#[tap::moved(from = \"Database\")]"), "{said:?}");
    assert_eq!(verdict.findings[0].loc, tap::Loc::resource(i), "at the resource that took its place");

    stack.resources[i].moved_from = Some("Database".into());
    let (findings, verdict) = judged(&stack);
    assert!(findings.is_empty() && verdict.findings.is_empty(), "{findings:?} {:?}", verdict.findings);
    assert!(verdict.write.is_none(), "the lock does not change");
    let durable = stack.synth_all().unwrap().into_iter().find(|(l, ..)| *l == Lifecycle::Durable).unwrap().1;
    assert_eq!(durable.0["Resources"]["Database"]["Type"], "AWS::RDS::DBInstance");
    assert!(durable.0["Resources"].get("CatalogDb").is_none());
}

#[test]
fn deleting_the_archive_bucket_needs_forget_and_the_plan_lists_it() {
    let stack = without(tap_stack::product_catalog(), "archive_bucket");
    let (findings, verdict) = judged(&stack);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(verdict.findings.iter().map(|f| f.id).collect::<Vec<_>>(), ["TAP-LOCK-001"]);
    assert!(verdict.findings[0].message.contains("`ArchiveBucket` (AWS::S3::Bucket"), "{}", verdict.findings[0]);

    let mut stack = stack;
    stack.forget("ArchiveBucket", "the archive moved to the data platform's bucket, which keeps three years");
    let outcome = tap::check_all(&stack);
    let checked = outcome.checked.unwrap();
    // Read-only (as in CI), the forgotten entry is a change to the lock: it is written locally.
    let local = lock::check(&checked, Some(LOCK), true, false);
    assert!(local.findings.is_empty(), "{:?}", local.findings);
    let written = local.write.expect("the entry is marked forgotten");
    assert!(written
        .contains("ArchiveBucket\tAWS::S3::Bucket\tproduct-inventory-archive-{suffix}\tforgotten: the archive moved"));
    assert!(lock::check(&checked, Some(&written), true, true).findings.is_empty(), "and then holds, read-only");
    let (_, _, plan) = stack.synth_all().unwrap().into_iter().find(|(l, ..)| *l == Lifecycle::Durable).unwrap();
    assert_eq!(plan.forgotten.len(), 1);
    assert!(plan.to_markdown().contains("## Left in the account"), "{}", plan.to_markdown());
}

#[test]
fn a_lock_edited_by_hand_is_refused() {
    let edited: String = LOCK.lines().filter(|l| !l.starts_with("ArchiveBucket\t")).map(|l| format!("{l}\n")).collect();
    let outcome = tap::check_all(&tap_stack::product_catalog());
    let verdict = lock::check(outcome.checked.as_ref().unwrap(), Some(&edited), true, true);
    assert_eq!(verdict.findings.iter().map(|f| f.id).collect::<Vec<_>>(), ["TAP-LOCK-004"]);
    assert!(verdict.findings[0].message.contains("edited by hand"));
}
