//! The shop app (`stacks/shop.rs`): two stacks in one `#[tap::app]`, the service importing
//! what the data stack exports. Both templates are snapshotted and linted, every import
//! matches an export of the data stack name for name (the suffix included), and the order
//! the stacks deploy in puts the data stack first.

#[path = "stacks/shop.rs"]
mod app;

use serde_json::{json, Value as Json};

/// Every `Fn::ImportValue` in a template, as written (the name's `Fn::Sub` string).
fn imports(template: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![template];
    while let Some(v) = stack.pop() {
        match v {
            Json::Object(m) => {
                if let Some(name) = m.get("Fn::ImportValue") {
                    out.push(name["Fn::Sub"].as_str().unwrap_or_default().to_owned());
                }
                stack.extend(m.values());
            }
            Json::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_service_imports_exactly_what_the_data_stack_exports_per_suffix() {
    let stacks = app::shop::stacks();
    assert_eq!(stacks.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["ShopData", "ShopService"]);
    assert_eq!(stacks[1].depends_on, ["ShopData"]);
    let data = stacks[0].synth().unwrap_or_else(|f| panic!("{f}"));
    let service = stacks[1].synth().unwrap_or_else(|f| panic!("{f}"));
    insta::assert_snapshot!("shop_data_template", data.to_json());
    insta::assert_snapshot!("shop_service_template", service.to_json());
    tap_integration_tests::lint("shop-data", &data.to_json());
    tap_integration_tests::lint("shop-service", &service.to_json());
    tap_integration_tests::assert_matches_registry("shop-data", &data.0);
    tap_integration_tests::assert_matches_registry("shop-service", &service.0);

    let exports: Vec<String> = data.0["Outputs"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|o| o["Export"]["Name"]["Fn::Sub"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(exports, ["ShopData-${EnvironmentSuffix}-OrdersArn", "ShopData-${EnvironmentSuffix}-OrderEventsArn"]);
    assert_eq!(
        imports(&service.0),
        ["ShopData-${EnvironmentSuffix}-OrderEventsArn", "ShopData-${EnvironmentSuffix}-OrdersArn"]
    );
    // The grant reaches the imported table's ARN, as for a table of its own.
    let text = service.0["Resources"]["WriterRole"]["Properties"]["Policies"].to_string();
    assert!(text.contains("dynamodb:PutItem") && text.contains("ShopData-${EnvironmentSuffix}-OrdersArn"), "{text}");
    assert!(text.contains("sns:Publish"), "{text}");
    // The data stack neither imports nor depends on anything.
    assert!(imports(&data.0).is_empty());
    assert_eq!(service.0["Parameters"]["EnvironmentSuffix"]["Type"], json!("String"));
}

#[test]
fn a_function_of_one_stack_is_placed_in_the_vpc_of_another() {
    let stacks = app::platform::stacks();
    let network = stacks[0].synth().unwrap_or_else(|f| panic!("{f}"));
    let service = stacks[1].synth().unwrap_or_else(|f| panic!("{f}"));
    tap_integration_tests::lint("platform-network", &network.to_json());
    tap_integration_tests::lint("platform-notifier", &service.to_json());
    let outputs = &network.0["Outputs"];
    assert_eq!(outputs["ExportVpcId"]["Value"], json!({ "Ref": "Vpc" }));
    assert_eq!(
        outputs["ExportVpcPrivateSubnets"]["Value"],
        json!({ "Fn::Join": [",", [{ "Ref": "VpcPrivateSubnet1" }, { "Ref": "VpcPrivateSubnet2" }]] })
    );
    let vpc_config = &service.0["Resources"]["Notifier"]["Properties"]["VpcConfig"];
    assert_eq!(
        vpc_config["SubnetIds"],
        json!({ "Fn::Split": [",", { "Fn::ImportValue": { "Fn::Sub": "Network-${EnvironmentSuffix}-VpcPrivateSubnets" } }] })
    );
    assert_eq!(
        service.0["Resources"]["Group"]["Properties"]["VpcId"],
        json!({ "Fn::ImportValue": { "Fn::Sub": "Network-${EnvironmentSuffix}-VpcId" } })
    );
}
