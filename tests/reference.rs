//! `docs/KINDS.md`, the property reference of every kind, is generated from the kinds'
//! own definitions (`props!`, `Spec`); this test fails when it is out of date. Rewrite it
//! with `TAP_BLESS=1 cargo test --test reference`.

use std::path::Path;

use tap::kinds::schema::{ArnShape, AttrExpr, Ty};
use tap::Kind;

fn render() -> String {
    let mut s = String::from(
        "# Kind reference\n\n\
         Generated from each kind's definition in `tap-core/src/kinds/<kind>.rs` by\n\
         `TAP_BLESS=1 cargo test --test reference`; do not edit by hand. The rules these\n\
         properties meet are in [the guide](../tests/ui/GUIDE.md).\n\n",
    );
    s.push_str(
        &Kind::ALL
            .iter()
            .map(|k| {
                format!(
                    "[`{}`](#{})",
                    k.spec().word,
                    k.spec().word.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect::<String>()
                )
            })
            .collect::<Vec<_>>()
            .join(" · "),
    );
    s.push_str("\n\n");
    for kind in Kind::ALL {
        let spec = kind.spec();
        s.push_str(&format!("## {}\n\n{}\n\n", spec.word, spec.about));
        if kind.props().is_empty() {
            s.push_str("Written as `resource!(AWS::Service::Type { Property: value, .. })`, with the type's own property names, checked against its CloudFormation registry schema (`tap-core/data/schemas.tsv`). `binding` is a `Ref`, `binding.Attr` a `GetAtt` of an attribute the schema lists; in a string, `{suffix}` and `{binding}` are substituted. A name-like create-only property carries `{suffix}`; a type that holds data is deleted by an ephemeral deployment and kept by a durable one; a function that binds one of its attributes names it in a `Raw` grant. Types tap has a kind for, and IAM types, are refused.\n\n");
            continue;
        }
        s.push_str("| property | type | | notes |\n|---|---|---|---|\n");
        for p in kind.props() {
            let doc = p.doc.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
            let ty = match (p.ty)() {
                Ty::Int { min, max } => format!("integer {min}–{max}"),
                other => other.describe().replace('|', "\\|"),
            };
            s.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                p.name,
                ty,
                if p.required { "required" } else { "optional" },
                doc
            ));
        }
        s.push('\n');
        if !spec.attrs.is_empty() {
            let attrs: Vec<String> = spec
                .attrs
                .iter()
                .map(|a| {
                    let expr = match a.expr {
                        AttrExpr::Ref => "`Ref`".to_owned(),
                        AttrExpr::GetAtt(n) => format!("`Fn::GetAtt` {n}"),
                        AttrExpr::Own => "from its own properties".to_owned(),
                    };
                    format!("`{}` ({expr})", a.name)
                })
                .collect();
            s.push_str(&format!("- **Attributes:** {}\n", attrs.join(", ")));
        }
        for l in spec.levels {
            let arns = match l.arns {
                ArnShape::Arn => "its ARN".to_owned(),
                ArnShape::Under(t) => format!("`<arn>{t}`"),
                ArnShape::ArnAndUnder(t) => format!("its ARN and `<arn>{t}`"),
            };
            let actions: Vec<String> = l.actions.iter().map(|a| format!("`{a}`")).collect();
            s.push_str(&format!("- **Access level `{}`:** {} on {arns}\n", l.name, actions.join(", ")));
        }
        if let Some(h) = &spec.handle {
            s.push_str(&format!(
                "- **Handle** (feature `aws`): `tap::aws::{}<Access>`, when the function binds `{}`\n",
                h.ty, h.attr
            ));
        }
        if let Some(n) = &spec.naming {
            let mut rule = format!("{}–{} characters, letters, digits", n.min, n.max);
            if !n.extra.is_empty() {
                rule.push_str(&format!(" and `{}`", n.extra));
            }
            if n.lowercase {
                rule.push_str(", lower case");
            }
            if n.letter_first {
                rule.push_str(", starting with a letter");
            }
            s.push_str(&format!("- **Name:** {rule}, with `{{suffix}}` (TAP-NAME-001)\n"));
        }
        if let Some(keep) = spec.keep {
            s.push_str(&format!(
                "- **Holds data:** kept by a durable deployment ({keep:?}); deleted by an ephemeral one\n"
            ));
        }
        if let Some(svc) = spec.service {
            s.push_str(&format!(
                "- **Service:** `{}` ({} endpoint)\n",
                svc.word,
                if svc.gateway { "gateway" } else { "interface" }
            ));
        }
        if let Some(e) = spec.existing {
            let mut line = format!(
                "- **Existing:** `resource!(Existing {{ kind: {}, from: Parameter(\"..\") }})` (or `Import(\"export-{{suffix}}\")`) names one outside the stack by its `{}` (parameter type `{}`",
                spec.word, e.id, e.param_type
            );
            if let Some(p) = e.pattern {
                line.push_str(&format!(", pattern `{p}`"));
            }
            line.push(')');
            if !e.derive.is_empty() {
                let derived: Vec<String> = e.derive.iter().map(|(a, t)| format!("`{a}` = `{t}`")).collect();
                line.push_str(&format!("; {}", derived.join(", ")));
            }
            if e.subnets {
                line.push_str("; takes `subnets` too");
            }
            if !e.referable_by.is_empty() {
                line.push_str(&format!(
                    "; the `vpc` of: {}",
                    e.referable_by.iter().map(|k| format!("`{}`", k.word())).collect::<Vec<_>>().join(", ")
                ));
            }
            s.push_str(&line);
            s.push('\n');
        }
        match spec.exported {
            tap::kinds::schema::Exported::Always => s.push_str("- **Exported:** the stack outputs it (TAP-OUT-001)\n"),
            tap::kinds::schema::Exported::WhenFilledFromOutside => s.push_str(
                "- **Exported:** the stack outputs it when nothing in the stack writes to it (TAP-OUT-001)\n",
            ),
            tap::kinds::schema::Exported::Never => {}
        }
        s.push('\n');
    }
    s.push_str(&components());
    s
}

/// The components the workspace's crates declare (`#[component]`), read from their sources:
/// name, crate, typed parameters and the first paragraph of the doc comment.
fn components() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = String::from(
        "## Components of the workspace\n\nPatterns declared once with `#[tap::component]` and used in a stack as \
         `let orders = component!(path::to::name { parameter: value, .. });` (see the guide).\n\n\
         | component | crate | parameters | what it is |\n|---|---|---|---|\n",
    );
    let mut crates: Vec<_> = std::fs::read_dir(root.join("examples")).unwrap().map(|e| e.unwrap().path()).collect();
    crates.sort();
    for dir in crates {
        let Ok(text) = std::fs::read_to_string(dir.join("src/lib.rs")) else { continue };
        let krate = dir.file_name().unwrap().to_string_lossy().into_owned();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !matches!(line.trim(), "#[component]" | "#[tap::component]") {
                continue;
            }
            let doc: Vec<&str> = lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with("///"))
                .map(|l| l.trim_start().trim_start_matches("///").trim())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .take_while(|l| !l.is_empty())
                .collect();
            let signature = lines[i + 1].trim();
            let name = signature.split("fn ").nth(1).and_then(|r| r.split('(').next()).unwrap_or_default();
            let params = signature.split('(').nth(1).and_then(|r| r.split(')').next()).unwrap_or_default();
            let params: Vec<String> = params.split(',').map(|p| format!("`{}`", p.trim())).collect();
            s.push_str(&format!(
                "| `{name}` | `{krate}` (`examples/{krate}`) | {} | {} |\n",
                params.join(", "),
                doc.join(" ")
            ));
        }
    }
    s
}

#[test]
fn kind_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/KINDS.md");
    let want = render();
    if std::env::var_os("TAP_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/KINDS.md is out of date; run TAP_BLESS=1 cargo test --test reference");
}
