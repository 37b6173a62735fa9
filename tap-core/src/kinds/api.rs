//! `Api`: an API Gateway HTTP API whose routes invoke functions.
//!
//! The routes belong to the API: `routes: { "POST /webhooks/{source}": ingest }`. For each,
//! tap writes the integration, the route and the Lambda permission, scoped to that route's
//! method and path, so the API can invoke the function and nothing else can through it
//! (the permission is never written by hand). A route is authorized by the API's `auth`
//! (`Iam`, or `Jwt` with `jwt_issuer` and `jwt_audience`); a route anyone may call is
//! written `Open(function, "why")` (TAP-PUBLIC-002 asks for the reason). Access logging is
//! always on, as JSON to a log group the stack owns (`access_log_days`, default 30).
//! API Gateway waits at most `timeout_seconds` (30 at most) for the function: a function
//! that may run longer is TAP-API-001.

use super::log_group::RETENTION_DAYS;
use super::prelude::*;
use super::decode::{Decoder, FromValue};
use super::schema::Ty;
use crate::model::{Seg, Value};

words! {
    pub enum ApiAuth { Iam, Jwt, None }
}

props! {
    pub struct Api {
        name: opt Name,
        routes: req Routes,
        /// How the routes not written `Open(..)` are authorized; API Gateway's default is
        /// `None` (anyone).
        auth: opt ApiAuth,
        /// With `auth: Jwt`: the issuer whose tokens are accepted (an `https://` URL).
        jwt_issuer: opt String,
        /// With `auth: Jwt`: the audiences (client ids) accepted.
        jwt_audience: opt Vec<At<String>>,
        /// How long API Gateway waits for the function, 1 to 30; default 30.
        timeout_seconds: opt Int<1, 30>,
        /// Requests per second across the API (steady rate); API Gateway's account limit
        /// when left out.
        throttle_rate: opt Int<1, 10000>,
        /// Requests the API takes at once above the rate.
        throttle_burst: opt Int<1, 5000>,
        /// Days the access log is kept; default 30.
        access_log_days: opt Int<1, 3653>,
    }
}

pub const SPEC: Spec = Spec {
    attrs: &[attr("url", AttrExpr::GetAtt("ApiEndpoint")), attr("id", AttrExpr::Ref)],
    naming: Some(Naming { min: 1, max: 128, extra: "-_. ", lowercase: false, letter_first: false }),
    exported: Exported::Always,
    cfn_type: Some("AWS::ApiGatewayV2::Api"),
    ..Spec::new("Api", "API", "An API Gateway HTTP API whose routes invoke functions, with access logging.", <Api as super::decode::Decode>::PROPS)
};

impl Api {
    pub fn routes(&self) -> &[Route] {
        &self.routes.0
    }
    /// How long API Gateway waits for a function, in seconds.
    pub fn timeout(&self) -> i64 {
        self.timeout_seconds.as_deref().map_or(30, |t| t.get())
    }
    pub fn auth(&self) -> ApiAuth {
        self.auth.as_deref().copied().unwrap_or(ApiAuth::None)
    }
}

/// The logical-id stem of a route, from its key (never its position): `PostWebhooksSource`.
pub fn route_id(key: &str) -> String {
    if key == "$default" {
        return "Default".to_owned();
    }
    let (method, path) = key.split_once(' ').unwrap_or((key, ""));
    let method = method.to_ascii_lowercase();
    let id = pascal(&format!("{method} {path}"));
    if path == "/" {
        format!("{id}Root")
    } else {
        id
    }
}

/// The route's part of the execute-api ARN a permission is scoped to: `POST/webhooks/*`.
fn source_path(key: &str) -> String {
    if key == "$default" {
        return "$default".to_owned();
    }
    let (method, path) = key.split_once(' ').unwrap_or(("*", "/*"));
    let method = if method == "ANY" { "*" } else { method };
    let path: Vec<&str> = path.split('/').map(|s| if s.starts_with('{') { "*" } else { s }).collect();
    format!("{method}{}", path.join("/"))
}

impl Hooks for Api {
    fn validate(&self, i: usize, stack: &Checked, out: &mut Vec<Finding>) {
        let label = &stack.node(i).label;
        let jwt = self.auth() == ApiAuth::Jwt;
        if jwt && (self.jwt_issuer.is_none() || self.jwt_audience.as_ref().is_none_or(|a| a.is_empty())) {
            out.push(Finding::dsl(
                Dsl::Missing,
                self.auth.as_ref().map_or(Loc::resource(i), |a| a.loc.clone()),
                format!("{label} authorizes with JWTs but does not say whose"),
                "write `jwt_issuer: \"https://..\"` and `jwt_audience: [\"<client id>\"]`",
            ));
        }
        for (key, loc) in [("jwt_issuer", self.jwt_issuer.as_ref().map(|x| &x.loc)), ("jwt_audience", self.jwt_audience.as_ref().map(|x| &x.loc))] {
            if let (false, Some(loc)) = (jwt, loc) {
                out.push(Finding::dsl(Dsl::UnknownProperty, loc.clone(), format!("{label}: `{key}` is read only with `auth: Jwt`"), "remove it, or write `auth: Jwt`"));
            }
        }
        if let Some(issuer) = self.jwt_issuer.as_ref().filter(|s| !s.starts_with("https://")) {
            out.push(Finding::dsl(Dsl::WrongType, issuer.loc.clone(), format!("\"{}\" is not an issuer URL", **issuer), "write the issuer's `https://` URL, as its tokens' `iss` claim says"));
        }
        if let Some(days) = self.access_log_days.as_ref().filter(|d| !RETENTION_DAYS.contains(&d.get())) {
            out.push(Finding::dsl(Dsl::WrongType, days.loc.clone(), format!("CloudWatch Logs does not keep logs {} days", days.get()), format!("use one of {RETENTION_DAYS:?}")));
        }
    }

    fn synth(&self, cx: &mut SynthCx<'_>, i: usize) {
        let l = cx.lid(i).to_owned();
        let name = if self.name.is_some() { sub(written(&self.name)) } else { json!({ "Fn::Sub": format!("{}-{l}-${{EnvironmentSuffix}}", cx.stack.name) }) };
        cx.out.add(&l, "AWS::ApiGatewayV2::Api", json!({ "Name": name, "ProtocolType": "HTTP" }));
        let authorizer = format!("{l}JwtAuthorizer");
        if self.auth() == ApiAuth::Jwt {
            let audience: Vec<&str> = self.jwt_audience.iter().flat_map(|a| a.iter()).map(|a| a.as_str()).collect();
            cx.out.add(&authorizer, "AWS::ApiGatewayV2::Authorizer", json!({
                "ApiId": r#ref(&l),
                "Name": "jwt",
                "AuthorizerType": "JWT",
                "IdentitySource": ["$request.header.Authorization"],
                "JwtConfiguration": { "Issuer": self.jwt_issuer.as_deref().map(String::as_str), "Audience": audience },
            }));
        }
        for route in self.routes() {
            let id = format!("{l}{}", route_id(&route.key));
            let function = cx.lid(route.target).to_owned();
            cx.out.add(format!("{id}Integration"), "AWS::ApiGatewayV2::Integration", json!({
                "ApiId": r#ref(&l),
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": get_att(&function, "Arn"),
                "PayloadFormatVersion": "2.0",
                "TimeoutInMillis": self.timeout() * 1000,
            }));
            let mut props = json!({
                "ApiId": r#ref(&l),
                "RouteKey": route.key,
                "Target": { "Fn::Join": ["/", ["integrations", r#ref(&format!("{id}Integration"))]] },
            });
            let auth = if route.open.is_some() { ApiAuth::None } else { self.auth() };
            props["AuthorizationType"] = json!(match auth { ApiAuth::Iam => "AWS_IAM", ApiAuth::Jwt => "JWT", ApiAuth::None => "NONE" });
            if auth == ApiAuth::Jwt {
                props["AuthorizerId"] = r#ref(&authorizer);
            }
            cx.out.add(format!("{id}Route"), "AWS::ApiGatewayV2::Route", props);
            // The API may invoke the function for this route's method and path only.
            cx.out.add(format!("{id}Permission"), "AWS::Lambda::Permission", json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": get_att(&function, "Arn"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": { "Fn::Sub": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{l}}}/*/{}", source_path(&route.key)) },
            }));
        }
        let logs = format!("{l}AccessLogs");
        cx.out.add_with_policy(
            &logs,
            "AWS::Logs::LogGroup",
            json!({ "LogGroupName": stack_log_group_name(&cx.stack.name, &format!("{l}-access")), "RetentionInDays": self.access_log_days.as_deref().map_or(30, |d| d.get()) }),
            crate::cfn::DeletionPolicy::Delete,
        );
        let mut stage = json!({
            "ApiId": r#ref(&l),
            "StageName": "$default",
            "AutoDeploy": true,
            "AccessLogSettings": {
                "DestinationArn": get_att(&logs, "Arn"),
                "Format": ACCESS_LOG_FORMAT,
            },
        });
        let mut throttle = serde_json::Map::new();
        if let Some(r) = &self.throttle_rate {
            throttle.insert("ThrottlingRateLimit".into(), json!(r.get()));
        }
        if let Some(b) = &self.throttle_burst {
            throttle.insert("ThrottlingBurstLimit".into(), json!(b.get()));
        }
        if !throttle.is_empty() {
            stage["DefaultRouteSettings"] = Json::Object(throttle);
        }
        cx.out.add(format!("{l}Stage"), "AWS::ApiGatewayV2::Stage", stage);
    }
}

/// One JSON line per request: who, what, how it ended, and the integration's own error.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","latencyMs":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}"#;

#[cfg(test)]
mod tests {
    use super::{route_id, source_path};

    #[test]
    fn a_route_is_named_and_scoped_by_its_key() {
        assert_eq!(route_id("POST /webhooks/{source}"), "PostWebhooksSource");
        assert_eq!(route_id("GET /"), "GetRoot");
        assert_eq!(route_id("$default"), "Default");
        assert_eq!(source_path("POST /webhooks/{source}"), "POST/webhooks/*");
        assert_eq!(source_path("ANY /{proxy+}"), "*/*");
        assert_eq!(source_path("$default"), "$default");
    }
}

/// One route of an API: `"POST /webhooks/{source}": ingest`, or
/// `"POST /webhooks/{source}": Open(ingest, "why anyone may call it")`.
#[derive(Debug)]
pub struct Route {
    /// As written: `POST /webhooks/{source}`, or `$default`.
    pub key: String,
    /// The function it invokes.
    pub target: usize,
    pub name: String,
    /// `Open(..)`: the route takes no authorization, for the reason written.
    pub open: Option<At<String>>,
    /// Where the route is written.
    pub loc: Loc,
}

/// An API's `routes: { "METHOD /path": function, .. }`, in the order written.
#[derive(Debug)]
pub struct Routes(pub Vec<Route>);

/// How a fix line writes [`Routes`].
const ROUTES: &str = "{ \"METHOD /path\": function, .. }";

/// The methods an HTTP API route may name.
pub(crate) const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

/// Why `key` is not an HTTP API route key, if it is not.
fn route_key_problem(key: &str) -> Option<String> {
    if key == "$default" {
        return None;
    }
    let Some((method, path)) = key.split_once(' ') else {
        return Some("a route key is a method and a path: \"POST /orders\"".to_owned());
    };
    if !METHODS.contains(&method) {
        return Some(format!("`{method}` is not a method: {}", METHODS.join(", ")));
    }
    if !path.starts_with('/') || path.contains(' ') || path.contains("//") {
        return Some(format!("`{path}` is not a path: it starts with `/`, without spaces or empty segments"));
    }
    for segment in path.split('/').skip(1) {
        let Some(inner) = segment.strip_prefix('{') else {
            if segment.contains(['{', '}']) {
                return Some(format!("`{segment}`: a path parameter is a whole segment, `{{name}}`"));
            }
            continue;
        };
        let name = inner.strip_suffix('}').unwrap_or_default();
        let name = name.strip_suffix('+').unwrap_or(name);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Some(format!("`{segment}` is not a path parameter: `{{name}}` or a final `{{proxy+}}`"));
        }
    }
    None
}

impl FromValue for Routes {
    fn ty() -> Ty {
        Ty::Shape(ROUTES)
    }
    fn decode(v: &Value, key: &str, loc: &Loc, d: &mut Decoder<'_>) -> Option<Self> {
        let Value::Map(entries) = v else {
            d.wrong_type(key, &Self::ty(), v, loc);
            return None;
        };
        let mut routes = Vec::new();
        let mut ok = true;
        for (route_key, value) in entries {
            let entry = loc.push(Seg::Key(route_key.clone()));
            let mut field = loc.clone();
            field.path.push(Seg::Field(route_key.clone()));
            if let Some(why) = route_key_problem(route_key) {
                d.push(Finding::dsl(
                    Dsl::WrongType,
                    field.clone(),
                    format!("\"{route_key}\" is not a route: {why}"),
                    "write a route as \"METHOD /path/{parameter}\", e.g. \"POST /webhooks/{source}\"",
                ));
                ok = false;
            } else if routes.iter().any(|r: &Route| r.key == *route_key) {
                d.push(Finding::dsl(
                    Dsl::Duplicate,
                    field,
                    format!("route \"{route_key}\" is written twice"),
                    "keep one",
                ));
                ok = false;
            }
            let (target, open) = match value {
                Value::Word(name) => (Some(name), None),
                Value::Call { name, args } if name == "Open" => match args.as_slice() {
                    [Value::Word(f), Value::Str(why)] => {
                        (Some(f), Some(At { value: why.clone(), loc: entry.push(Seg::Index(1)) }))
                    }
                    _ => {
                        d.push(Finding::dsl(
                            Dsl::WrongType,
                            entry.clone(),
                            "`Open` takes the function and the reason anyone may call the route",
                            "write `Open(function, \"why this route takes no authorization\")`",
                        ));
                        (None, None)
                    }
                },
                other => {
                    d.wrong_type(route_key, &Ty::Ref(&[Kind::Function]), other, &entry);
                    (None, None)
                }
            };
            let at = if open.is_some() { entry.push(Seg::Index(0)) } else { entry.clone() };
            match target.and_then(|name| d.resolve(name, route_key, &at, &[Kind::Function]).map(|i| (i, name))) {
                Some((target, name)) => {
                    routes.push(Route { key: route_key.clone(), target, name: name.clone(), open, loc: entry })
                }
                None => ok = false,
            }
        }
        ok.then_some(Routes(routes))
    }
}
