//! `tests/ui/GUIDE.md` is generated from the rules' own metadata and the cases in
//! `tests/ui/`; this test fails when it is out of date. Rewrite it with
//! `TAP_BLESS=1 cargo test --test guide`.

use std::collections::BTreeMap;
use std::path::Path;

// The handler contract's diagnostics (`tap::runtime`, `tap::bindings`), whose cases live
// in `tests/contract/ui/` (they need the `runtime` feature).

fn cases() -> BTreeMap<String, Vec<String>> {
    let mut by_id = cases_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui"), "");
    for (id, list) in cases_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract/ui"), "../contract/ui/") {
        by_id.entry(format!("{id} (handler)")).or_default().extend(list);
    }
    by_id
}

/// Cases by the ids their `.stderr` shows, as links relative to `tests/ui/`.
fn cases_in(ui: &Path, prefix: &str) -> BTreeMap<String, Vec<String>> {
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(ui)
        .unwrap()
        .flat_map(|area| std::fs::read_dir(area.unwrap().path()).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "stderr"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let case = format!("{prefix}{}", f.strip_prefix(ui).unwrap().with_extension("rs").display());
        for line in text.lines().filter_map(|l| l.strip_prefix("error: ").or_else(|| l.strip_prefix("error[E0277]: ")))
        {
            let id = line.split(':').next().unwrap().to_owned();
            let list = by_id.entry(id).or_default();
            if !list.contains(&case) {
                list.push(case.clone());
            }
        }
    }
    by_id
}

fn render() -> String {
    let cases = cases();
    let links = |id: &str| -> String {
        cases
            .get(id)
            .map(|c| c.iter().map(|c| format!("[`{c}`]({c})")).collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "(none)".into())
    };
    let mut s = String::from(
        "# The tap teaching guide\n\n\
         Generated from the rules in `tap-core/src/rules/` and the cases in this folder by\n\
         `TAP_BLESS=1 cargo test --test guide`; do not edit by hand.\n\n\
         Each rule makes one documented mistake of the seed stack (a CDK Python stack for a\n\
         product-catalog pipeline) a compile error. Each case here repeats that mistake in tap's DSL;\n\
         its `.stderr` is what the compiler says: the rule id, what is wrong, and `fix:`.\n\n\
         The mistakes of the seed's Lambda handler itself (12, 13, 20) are prevented by tap's\n\
         handler contract (`tap::runtime`, `tap::bindings`): see the last section.\n\n\
         The seed's rules are right for throwaway environments. A stack that also deploys to\n\
         production declares `#[stack(lifecycles = [Ephemeral, Durable], durable_suffixes = [..])]`:\n\
         the TAP-DESTROY rules then hold for its ephemeral deployments and the TAP-KEEP rules,\n\
         which are tap's own rather than the seed's, for its durable ones. Both are checked at\n\
         once; a setting written by hand that contradicts either lifecycle is an error.\n\n\
         Raw resources (`resource!(AWS::Service::Type { .. })`, for types tap has no kind for) are\n\
         checked against their registry schemas (TAP-DSL-001..008, cases in `raw/`), and the rules\n\
         judge what they deploy, by their CloudFormation properties: encryption at rest and in\n\
         transit (TAP-ENC-001; a type that holds data and cannot encrypt is refused), deletion and\n\
         termination protection, backups, point-in-time recovery and snapshots per lifecycle\n\
         (TAP-DESTROY-003..005, TAP-KEEP-002/003; left out, tap writes them for each lifecycle, as\n\
         for a kind), resource policies and permissions open to anyone or another account\n\
         (TAP-PUBLIC-001), public endpoints (TAP-PUBLIC-002), egress and network ACL entries to\n\
         anywhere (TAP-NET-002), deprecated RDS cluster versions (TAP-VER-001), names\n\
         (TAP-NAME-001) and grants (TAP-IAM-001/002). A type that holds data gets the lifecycle's\n\
         deletion policy. Which rules reach which of the 1,854 registry types is the generated\n\
         table [`docs/COVERAGE.md`](../../docs/COVERAGE.md), held complete by a test. What does\n\
         not reach raw resources, and why: the event-source, alarm, code and VPC-placement rules\n\
         (functions, event source mappings, log groups, queues and streams are kinds, so their raw\n\
         types are refused), TAP-OUT-001 (a raw type has no attribute tap knows to export),\n\
         TAP-NET-004 (Redis is a `Cache`; a raw cache cluster is refused by TAP-ENC-001), and the\n\
         engine versions of DocumentDB, Neptune, MemoryDB and OpenSearch (cfn-lint ships no\n\
         version data for them).\n\n\
         Every finding shows in one pass: a malformed value is reported and the rest of the stack is\n\
         still judged (a resource that cannot be decoded at all, and what refers to it, wait for the\n\
         next pass; nothing is said of what it names, so no finding appears twice for one cause).\n\
         The seed's whole stack as written is `seed/product_catalog.rs`.\n\n\
         Resources outside the stack (`resource!(Existing { kind: Topic, from: Parameter(..) })`,\n\
         cases in `existing/`) are typed as the kind they stand for: TAP-IAM-001/002 judge the\n\
         grants on them, TAP-NET-003 asks how a function in an existing VPC reaches each service\n\
         (its routes are not the stack's to see), TAP-NAME-001 wants `{suffix}` in an import's\n\
         export name; the rules about what a stack owns (encryption, removal, names, outputs) do\n\
         not reach them, and only a function's or security group's `vpc` may name one. A `Role`\n\
         (a service's role, such as a state machine's) is judged by TAP-CODE-002 and TAP-IAM-002\n\
         (no literal ARNs, no wildcards, a role something names); what the service does with it\n\
         is not the stack's to see, so TAP-IAM-001 does not reach it.\n\n",
    );
    for rule in tap::rules::ALL {
        s.push_str(&format!(
            "## {}: {}\n\n- **Prevents:** {}\n{}{}- **Why:** {}\n- **Fix:** {}\n- **Acknowledgeable:** {}\n- **Cases:** {}\n\n",
            rule.id,
            rule.title,
            rule.mistake,
            rule.lifecycle
                .map(|l| format!("- **Applies to:** stacks whose deployments may be {}\n", l.dir()))
                .unwrap_or_default(),
            if rule.seed.is_empty() { String::new() } else { format!("- **Seed:** `{}`\n", rule.seed) },
            rule.explanation.split_whitespace().collect::<Vec<_>>().join(" "),
            rule.fix,
            rule.acknowledge.describe(),
            links(rule.id)
        ));
    }
    s.push_str(
        "## Acknowledgements: a finding on purpose\n\nA resource that breaks a rule on purpose says so on its \
         declaration, with a reason of its own: `#[tap::expect(\"TAP-PUBLIC-001\", reason = \"..\")]` (add \
         `at = \"property\"` to name one finding of the rule, as its path reads: `public_read`, \
         `PolicyDocument.Statement[0].Principal`, `grants[archive.write]`). It reads like Rust's \
         `#[expect(lint, reason = ..)]` and behaves like it: an acknowledgement that no finding needs any more \
         is an error, so an exception cannot outlive its cause. Each rule says above whether it can be \
         acknowledged, and on which stacks: an opening a service chooses (a public status page, a webhook's \
         URL, an alarm left to a preview environment) can be; a defect nothing needs (a name without the \
         suffix, inline code, a literal secret, a missing or wildcard grant, encryption off) cannot. \
         Acknowledged findings are recorded in the resource's template `Metadata` (`tap:acknowledged`, \
         and checkov's skip of the same check with the same reason), in the delete plan, on the diagram, \
         in `cargo tap diff` when one arrives or goes, and in `findings.sarif` as suppressions.\n\n\
         | id | what | fix | cases |\n|---|---|---|---|\n",
    );
    for a in tap::AckError::ALL {
        s.push_str(&format!("| {} | {} | {} | {} |\n", a.id(), a.title(), a.fix(), links(a.id())));
    }
    s.push_str(
        "\n## The lock of kept identities\n\nA stack with durable deployments has a lock beside its source, \
         `<Stack>.tap.lock`, written by the build and committed: each resource those deployments keep, by \
         logical id, with its type and physical name. CloudFormation knows a resource by its logical id, and \
         tap derives it from the binding: a renamed binding or a deleted declaration would have \
         CloudFormation create a new resource (failing on the old one's name, or starting empty) and remove \
         the old one. So the build stops until the stack says what happened: `#[tap::moved(from = \"Database\")]` \
         on the renamed resource keeps its logical id; `tap::forget!(\"ArchiveBucket\", reason = \"..\");` \
         lets a kept resource leave the stack (its deployments retain it, and the durable delete plan lists \
         it as left in the account). A new kept resource is added without a word. The lock carries a digest \
         of its lines, so an edit by hand is refused, and with `TAP_LOCKED` set (the test command and CI) a \
         build that would change the lock fails.\n\n\
         | id | what | fix | cases |\n|---|---|---|---|\n",
    );
    for l in tap::LockError::ALL {
        s.push_str(&format!("| {} | {} | {} | {} |\n", l.id(), l.title(), l.fix(), links(l.id())));
    }
    s.push_str(
        "\n## The stacks of one app\n\nAn app split into stacks (a data stack that outlives every deploy of the code, a \
         service stack that changes daily) declares them together in one module, `#[tap::app] pub mod shop { \
         #[stack] pub fn data() { .. } #[stack] pub fn service() { .. } }`, and a stack names another's \
         resource as `data::orders` (with a member: `data::orders.arn`, `data::orders.write`). The build \
         exports its identifier from the data stack as `<Stack>-{suffix}-<Binding><Attr>` and imports it into \
         the service as an existing resource of the same kind, so the export names match per environment by \
         construction, a grant on it takes that kind's levels, and TAP-IAM-001/002 judge it as one of the \
         service's own. The service depends on the data stack: `cargo tap deploy` deploys it first and \
         `cargo tap delete --suffix` deletes it last. A reference to a resource the other stack no longer \
         declares is a compile error at the reference, so an export cannot be removed while it is used; \
         once the last reference is gone, `cargo tap deploy` keeps the export for the one deployment in which \
         the consumer stops importing it (CloudFormation refuses to remove an export in use) and the next \
         deployment drops it. Only kinds an `Existing` can stand for cross; a VPC crosses with its private \
         subnets, where the consumer's functions are placed.\n\n\
         | id | what | fix | cases |\n|---|---|---|---|\n",
    );
    for l in tap::LinkError::ALL {
        s.push_str(&format!("| {} | {} | {} | {} |\n", l.id(), l.title(), l.fix(), links(l.id())));
    }
    s.push_str(
        "\n## Components: a pattern declared once\n\nA pattern a team writes again and again (queue, dead-letter \
         queue, worker, log group, alarms, outputs) is declared once, `#[tap::component] pub fn queue_worker(name: \
         Name, code: Code, results: Bucket) { let jobs = resource!(..); .. }`, and used in a stack as `let orders = \
         component!(queue_worker { name: \"orders\", code: Bin(\"orders-worker\"), results: results });`, from the \
         same crate or by path from a library crate (`worker_components::queue_worker`). Parameters are typed with \
         tap's words (`Name` and `Text` strings, `Int`, `Bool`, `Code`, or a kind of resource the caller passes by \
         binding); a missing, unknown or mistyped argument is an error at the call (TAP-DSL-007, TAP-DSL-002, \
         TAP-DSL-003). The stack expands each instance before it is checked, so every rule judges the instance's \
         resources as if written inline: a finding points at the caller's argument when an argument made it, and \
         otherwise at the component's own token, and names the instance (\"in `orders`, an instance of component \
         `queue_worker`\"), once per instance. An instance's resources are bound as `<instance>_<binding>` \
         (`orders_jobs`, logical id `OrdersJobs`, the same wherever the component is used; `orders.jobs.url` reads \
         one), its functions get their `Env` and `Handles` under that name, and two instances given one `Name` are \
         refused at the second (TAP-DSL-004). The workspace's components are listed in \
         [the kind reference](../../docs/KINDS.md).\n\n\
         Cases: [`component/finding_inside_reported_per_instance.rs`](component/finding_inside_reported_per_instance.rs), \
         [`component/wrong_parameter_type.rs`](component/wrong_parameter_type.rs), \
         [`component/missing_parameter.rs`](component/missing_parameter.rs), \
         [`component/two_instances_one_name.rs`](component/two_instances_one_name.rs).\n",
    );
    s.push('\n');
    s.push_str("## Malformed input\n\nThese are not mistakes of the seed but of the DSL itself; each is a compile error at the offending token, never a panic.\n\n| id | what | fix | cases |\n|---|---|---|---|\n");
    for dsl in tap::Dsl::ALL {
        s.push_str(&format!("| {} | {} | {} | {} |\n", dsl.id(), dsl.title(), dsl.fix(), links(dsl.id())));
    }
    s.push_str("\n## The handler contract\n\nThese are type errors in the function's code, not findings about the stack; their cases are in `tests/contract/ui/`.\n\n");
    for r in tap::contract::ALL {
        let (id, mistake, why, fix) = (r.id, r.mistake, r.why, r.fix);
        s.push_str(&format!(
            "### {id} (handler)\n\n- **Prevents:** {mistake}\n- **Why:** {why}\n- **Fix:** {fix}\n- **Cases:** {}\n\n",
            links(&format!("{id} (handler)"))
        ));
    }
    s.push_str(
        "### A binding removed from the stack\n\nThe function's `Env` is generated from the stack's `env: { .. }`: remove a \
         reference from the stack and code that reads it stops compiling (rustc's own \"no field\" \
         error), instead of failing at cold start. Case: \
         [`../contract/ui/bindings/reference_removed_from_stack.rs`](../contract/ui/bindings/reference_removed_from_stack.rs)\n",
    );
    s.push_str(
        "\n## cfn-lint\n\nThe product-catalog template passes cfn-lint with no errors and no warnings; \
         `tests/integration/tests/cfn_lint.rs` fails on either. No warning is suppressed.\n",
    );
    s.push_str(
        "\n## The security scan: checkov\n\nThe test command runs checkov on every template the tests \
         synthesise (`tests/integration/tests/checkov.rs`). It fails on any failed check not listed \
         here, and on any listed check that no template fails any more. The list is \
         `tap-core/src/scan.rs`.\n\n| check | on | because | why |\n|---|---|---|---|\n",
    );
    for a in tap::scan::ACCEPTED {
        s.push_str(&format!("| {} | `{}` | {} | {} |\n", a.check, a.on, a.because.word(), a.why));
    }
    s
}

#[test]
fn guide_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui/GUIDE.md");
    let want = render();
    if std::env::var_os("TAP_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "tests/ui/GUIDE.md is out of date; run TAP_BLESS=1 cargo test --test guide");
}

#[test]
fn every_case_the_guide_links_exists() {
    let guide = render();
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    for link in guide.split("](").skip(1).map(|rest| rest.split(')').next().unwrap()) {
        assert!(ui.join(link).is_file(), "GUIDE.md links to {link}, which does not exist");
    }
}

#[test]
fn every_rule_dsl_acknowledgement_lock_and_app_error_has_a_case() {
    let cases = cases();
    for rule in tap::rules::ALL {
        assert!(cases.contains_key(rule.id), "no compile-fail case shows {}", rule.id);
    }
    for dsl in tap::Dsl::ALL {
        assert!(cases.contains_key(dsl.id()), "no compile-fail case shows {}", dsl.id());
    }
    for a in tap::AckError::ALL {
        assert!(cases.contains_key(a.id()), "no compile-fail case shows {}", a.id());
    }
    for l in tap::LockError::ALL {
        assert!(cases.contains_key(l.id()), "no compile-fail case shows {}", l.id());
    }
    for l in tap::LinkError::ALL {
        assert!(cases.contains_key(l.id()), "no compile-fail case shows {}", l.id());
    }
    for r in tap::contract::ALL {
        let id = r.id;
        assert!(cases.contains_key(&format!("{id} (handler)")), "no handler case shows {id}");
    }
}

/// Every `resource!(Kind { .. })` the guide, the README and CONTRIBUTING show names a kind
/// tap has and only properties that kind has (placeholders such as `<port>` and `..`
/// aside), so a fix copied from the docs is not a new error.
#[test]
fn the_docs_snippets_name_real_kinds_and_properties() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for doc in ["tests/ui/GUIDE.md", "README.md", "CONTRIBUTING.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for (at, _) in text.match_indices("resource!(") {
            let rest = &text[at + "resource!(".len()..];
            let kind: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let Some(open) = rest[kind.len()..].trim_start().strip_prefix('{') else { continue };
            if kind == "Kind" {
                continue; // the syntax's own placeholder
            }
            // The body up to the matching brace, comments dropped.
            let mut depth = 1;
            let body: String = open
                .chars()
                .take_while(|&c| {
                    depth += match c {
                        '{' | '[' | '(' => 1,
                        '}' | ']' | ')' => -1,
                        _ => 0,
                    };
                    depth > 0
                })
                .collect();
            let body = strip_comments(&body);
            let Some(k) = tap::Kind::from_word(&kind) else {
                wrong.push(format!("{doc}: `{kind}` is not a kind"));
                continue;
            };
            for field in split_top(&body) {
                let key = field.split(':').next().unwrap().trim();
                if key.is_empty() || key == ".." || key.starts_with('<') {
                    continue;
                }
                if !k.props().iter().any(|p| p.name == key) {
                    wrong.push(format!("{doc}: `{kind}` has no property `{key}`"));
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} snippets found");
    assert!(wrong.is_empty(), "the docs show snippets tap rejects:\n{}", wrong.join("\n"));
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// The comma-separated parts of a body at nesting depth 0.
fn split_top(body: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth, mut quoted) = (Vec::new(), String::new(), 0, false);
    for c in body.chars() {
        match c {
            '"' => quoted = !quoted,
            '{' | '[' | '(' if !quoted => depth += 1,
            '}' | ']' | ')' if !quoted => depth -= 1,
            ',' if depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}
