//! The services table (`__for_each_service!`) is the one place a service with handles is
//! named: the cargo features of this crate and of the facade, the handle modules and the
//! kinds' handle types are held to it here, so a service added or removed in one place
//! and not the others fails.

use std::collections::BTreeMap;
use std::path::Path;

/// One line of the table: handle type, module, feature, noun, the facade's macro.
struct Service {
    handle: &'static str,
    module: &'static str,
    feature: &'static str,
    requires: &'static str,
}

macro_rules! collect {
    ($($Handle:ident $module:ident $feature:literal $noun:literal $requires:ident;)*) => {
        vec![$(Service { handle: stringify!($Handle), module: stringify!($module), feature: $feature, requires: stringify!($requires) }),*]
    };
}

fn table() -> Vec<Service> {
    tap_runtime::__for_each_service!(collect)
}

/// The `[features]` of a manifest: name -> the entries of its list, as written.
fn features(manifest: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[features]";
            continue;
        }
        let Some((name, list)) = line.split_once('=').filter(|_| inside && !line.starts_with('#')) else { continue };
        let entries = list.trim().trim_start_matches('[').trim_end_matches(']');
        let entries = entries.split(',').map(|e| e.trim().trim_matches('"').to_owned()).filter(|e| !e.is_empty());
        out.insert(name.trim().to_owned(), entries.collect());
    }
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_cargo_features_are_the_tables() {
    let table = table();
    assert!(table.len() >= 6);
    let runtime = features(&root().join("Cargo.toml"));
    let facade = features(&root().join("../Cargo.toml"));
    let names: Vec<String> = table.iter().map(|s| s.feature.to_owned()).collect();
    assert_eq!(runtime["aws"], names, "tap-runtime's `aws` is every service of the table, in its order");
    assert_eq!(facade["aws"], names, "the facade's `aws` is every service of the table, in its order");
    for s in &table {
        let own = &runtime[s.feature];
        assert!(own.first().is_some_and(|f| f == "aws-core"), "{}: {own:?}", s.feature);
        assert!(own.iter().any(|f| f.starts_with("dep:aws-sdk-")), "{} builds no SDK: {own:?}", s.feature);
        assert_eq!(facade[s.feature], ["aws-core".to_owned(), format!("tap-runtime/{}", s.feature)], "{}", s.feature);
    }
    // No service feature outside the table.
    let service_like = |f: &&String| f.starts_with("aws-") && *f != "aws-core";
    let listed = |m: &BTreeMap<String, Vec<String>>| m.keys().filter(service_like).cloned().collect::<Vec<_>>();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(listed(&runtime), sorted, "tap-runtime has a service feature the table does not name");
    assert_eq!(listed(&facade), sorted, "the facade has a service feature the table does not name");
}

#[test]
fn each_service_has_its_module_and_a_kind_that_names_its_handle() {
    let handles: Vec<&str> =
        tap_core::Kind::ALL.iter().filter_map(|k| k.spec().handle.as_ref()).map(|h| h.ty).collect();
    let table = table();
    for s in &table {
        assert!(root().join("src/aws").join(format!("{}.rs", s.module)).is_file(), "no src/aws/{}.rs", s.module);
        assert!(handles.contains(&s.handle), "no kind names the handle {}", s.handle);
        // The name tap-macros' generated `Handles` calls for a handle of this type.
        assert_eq!(s.requires, format!("__aws_requires_{}", s.handle.to_lowercase()), "{}", s.handle);
    }
    for h in handles {
        assert!(table.iter().any(|s| s.handle == h), "a kind names the handle {h}, which the services table lacks");
    }
}

#[test]
fn the_feature_parser_reads_what_it_is_given() {
    let dir = std::env::temp_dir().join(format!("tap-services-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let manifest = dir.join("Cargo.toml");
    std::fs::write(&manifest, "[package]\nname = \"x\"\n[features]\n# a comment\naws = [\"aws-s3\", \"aws-sqs\"]\naws-s3 = [\"aws-core\", \"dep:aws-sdk-s3\"]\n[dependencies]\nx = \"1\"\n").unwrap();
    let f = features(&manifest);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f["aws"], ["aws-s3", "aws-sqs"]);
    std::fs::remove_dir_all(dir).unwrap();
}
