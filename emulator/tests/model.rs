//! The operation layer generated from the AWS model: validation worded as AWS words it,
//! one test per kind of constraint; the schema checks AWS makes on `CreateUserPool`;
//! operations the model has and the emulator does not emulate; and the README's table
//! of operations agreeing with the model and the implementation.

use std::sync::Arc;

use cognito_emulator::clock::ManualClock;
use cognito_emulator::cognito::{Cognito, CognitoError, EMULATED};
use cognito_emulator::context::RequestContext;
use cognito_emulator::generated::cognito::OPERATIONS;
use cognito_emulator::mailer::Mailer;
use cognito_emulator::Outbox;
use serde_json::{json, Value};

fn cognito() -> Cognito {
    let clock = ManualClock::starting_now();
    let mailer = Mailer::new(Outbox::new(), None, Arc::new(clock.clone()));
    Cognito::new(Arc::new(clock), mailer)
}

fn ctx() -> RequestContext {
    RequestContext::new("us-east-1", "000000000000")
}

fn call(c: &Cognito, op: &str, input: Value) -> Result<Value, CognitoError> {
    c.dispatch(&ctx(), op, input)
}

fn err(c: &Cognito, op: &str, input: Value) -> CognitoError {
    match call(c, op, input) {
        Ok(v) => panic!("{op} should have failed, got {v}"),
        Err(e) => e,
    }
}

fn message(c: &Cognito, op: &str, input: Value) -> String {
    let e = err(c, op, input);
    assert_eq!(e.code(), "InvalidParameterException", "{}", e.message());
    e.message().to_owned()
}

#[test]
fn a_missing_required_member() {
    let c = cognito();
    assert_eq!(
        message(&c, "DescribeUserPool", json!({})),
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn a_pattern_and_a_length() {
    let c = cognito();
    assert_eq!(
        message(&c, "DescribeUserPool", json!({"UserPoolId": "YOUR_USER_POOL_ID!"})),
        "1 validation error detected: Value 'YOUR_USER_POOL_ID!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"
    );
    let long = format!("us-east-1_{}", "a".repeat(60));
    let m = message(&c, "DescribeUserPool", json!({"UserPoolId": long}));
    assert!(
        m.ends_with("Member must have length less than or equal to 55"),
        "{m}"
    );
}

#[test]
fn an_enum_value_the_model_does_not_list() {
    let c = cognito();
    let m = message(
        &c,
        "InitiateAuth",
        json!({"ClientId": "abc", "AuthFlow": "MAGIC_AUTH"}),
    );
    assert_eq!(
        m,
        "1 validation error detected: Value 'MAGIC_AUTH' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
    );
}

#[test]
fn a_range() {
    let c = cognito();
    assert_eq!(
        message(&c, "ListUserPools", json!({"MaxResults": 0})),
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}

#[test]
fn a_list_of_enums_and_a_nested_member() {
    let c = cognito();
    let m = message(
        &c,
        "CreateUserPool",
        json!({"PoolName": "p", "UsernameAttributes": ["nickname"], "LambdaConfig": {"PreSignUp": "not-an-arn"}}),
    );
    assert!(m.starts_with("3 validation errors detected: "), "{m}");
    assert!(m.contains("Value 'not-an-arn' at 'lambdaConfig.preSignUp' failed to satisfy constraint: Member must have length greater than or equal to 20"), "{m}");
    assert!(m.contains("Value 'not-an-arn' at 'lambdaConfig.preSignUp' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:"), "{m}");
    assert!(m.contains("Value '[nickname]' at 'usernameAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]"), "{m}");
}

#[test]
fn list_elements_are_checked_at_their_index() {
    let c = cognito();
    let m = message(
        &c,
        "SignUp",
        json!({"ClientId": "abc", "Username": "alice", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email", "Value": "a@b.c"}, {"Value": "x"}]}),
    );
    assert_eq!(
        m,
        "1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn several_violations_in_one_request_in_aws_order_and_secrets_never_echoed() {
    let c = cognito();
    let m = message(
        &c,
        "SignUp",
        json!({"ClientId": "abc", "Username": "", "Password": "a b"}),
    );
    assert_eq!(
        m,
        "3 validation errors detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+; Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    );
    assert!(!m.contains("a b"), "the password is not echoed");
}

#[test]
fn usernames_with_control_characters_are_refused() {
    let c = cognito();
    for name in ["alice\u{0}", "\u{202e}alice", "al ice"] {
        let m = message(
            &c,
            "AdminGetUser",
            json!({"UserPoolId": "us-east-1_abc", "Username": name}),
        );
        assert_eq!(
            m,
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
        );
    }
    // Letters of any script are fine: the pool is then looked up, and does not exist.
    let e = err(
        &c,
        "AdminGetUser",
        json!({"UserPoolId": "us-east-1_abc", "Username": "Ærøskøbing"}),
    );
    assert_eq!(e.code(), "ResourceNotFoundException");
}

#[test]
fn a_member_of_the_wrong_type_is_a_serialization_error() {
    let c = cognito();
    let e = err(&c, "DescribeUserPool", json!({"UserPoolId": 5}));
    assert_eq!(e.code(), "SerializationException");
}

#[test]
fn the_domain_pattern_is_not_enforced_but_its_length_is() {
    // AWS accepts a custom domain's full name where the model's pattern allows a prefix
    // only; the length limit still holds.
    let c = cognito();
    let described = call(
        &c,
        "DescribeUserPoolDomain",
        json!({"Domain": "auth.example.com"}),
    )
    .unwrap();
    assert_eq!(described, json!({"DomainDescription": {}}));
    let m = message(
        &c,
        "DescribeUserPoolDomain",
        json!({"Domain": "a".repeat(64)}),
    );
    assert!(
        m.contains("Member must have length less than or equal to 63"),
        "{m}"
    );
    assert!(!m.contains("regular expression"), "{m}");
}

#[test]
fn an_operation_in_the_model_but_not_emulated_says_so() {
    let c = cognito();
    let e = err(&c, "CreateUserImportJob", json!({}));
    assert_eq!(e.code(), "UnknownOperationException");
    assert_eq!(
        e.message(),
        "The operation CreateUserImportJob is not emulated by cognito-emulator."
    );
    let e = err(&c, "MakeCoffee", json!({}));
    assert_eq!(e.code(), "UnknownOperationException");
    assert!(e.message().contains("no operation by that name"));
}

#[test]
fn every_operation_is_answered_emulated_or_not() {
    let c = cognito();
    for op in OPERATIONS {
        let said_not_emulated = match call(&c, op, json!({})) {
            Err(e) => e
                .message()
                .ends_with("is not emulated by cognito-emulator."),
            Ok(_) => false,
        };
        assert_eq!(said_not_emulated, !EMULATED.contains(op), "{op}");
        // Past the front door, the generated dispatch reaches an implementation for
        // every emulated operation (an empty input fails validation or lookup there).
        if EMULATED.contains(op) {
            let raw = cognito_emulator::generated::cognito::dispatch(&c, &ctx(), op, json!({}))
                .expect("in the model");
            assert!(
                !matches!(&raw, Err(e) if e.message().contains("not emulated")),
                "{op} is listed as emulated but falls to the trait's default"
            );
        }
    }
    for op in EMULATED {
        assert!(OPERATIONS.contains(op), "{op} is not in the model");
    }
}

#[test]
fn every_emulated_ses_action_reaches_an_implementation() {
    use cognito_emulator::clock::SystemClock;
    use cognito_emulator::protocol::query::QueryParams;
    use cognito_emulator::ses::{Ses, EMULATED as SES_EMULATED};

    let ses = Ses::new(
        Mailer::new(Outbox::new(), None, Arc::new(SystemClock)),
        Arc::new(SystemClock),
    );
    let empty = QueryParams::new(Vec::new());
    for action in SES_EMULATED {
        let outcome = cognito_emulator::generated::ses::dispatch(&ses, &ctx(), action, &empty)
            .unwrap_or_else(|| panic!("{action} is not in the model"));
        assert!(
            !matches!(&outcome, Err(e) if e.message().contains("not emulated")),
            "{action} is listed as emulated but falls to the trait's default"
        );
    }
    // An action the model has and the emulator does not emulate answers so.
    let outcome = cognito_emulator::generated::ses::dispatch(&ses, &ctx(), "GetSendQuota", &empty)
        .expect("in the model");
    let e = outcome.unwrap_err();
    assert_eq!(e.code(), "InvalidAction");
    assert!(e.message().contains("not emulated"));
}

#[test]
fn the_readme_table_lists_exactly_the_emulated_operations() {
    let readme = include_str!("../README.md");
    let listed: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|op| OPERATIONS.contains(op))
        .collect();
    let mut expected: Vec<&str> = EMULATED.to_vec();
    expected.sort_unstable();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort_unstable();
    assert_eq!(
        listed_sorted, expected,
        "emulator/README.md's Cognito table must list exactly the emulated operations"
    );
}

#[test]
fn every_pattern_of_the_models_compiles() {
    let mut count = 0;
    for model in [
        include_str!("../model/cognito-idp-2016-04-18.json"),
        include_str!("../model/ses-2010-12-01.json"),
    ] {
        let model: Value = serde_json::from_str(model).unwrap();
        for shape in model["shapes"].as_object().unwrap().values() {
            if let Some(p) = shape["pattern"].as_str() {
                let rust = codegen_translation(p);
                assert!(regex::Regex::new(&rust).is_ok(), "{p} -> {rust}");
                count += 1;
            }
        }
    }
    assert!(count > 50, "{count} patterns");
}

/// The generated code holds each pattern's translation; finding it there checks the
/// translation the emulator really uses.
fn codegen_translation(java: &str) -> String {
    let generated = include_str!("../src/generated/cognito/shapes.rs").to_owned()
        + include_str!("../src/generated/ses/shapes.rs");
    let needle = format!("Pattern::new({java:?}, ");
    let start = generated
        .find(&needle)
        .unwrap_or_else(|| panic!("no generated pattern for {java}"))
        + needle.len();
    let rest = &generated[start..];
    let end = rest.find(");").unwrap();
    serde_json::from_str::<String>(&rest[..end]).unwrap_or_else(|_| rest[..end].to_owned())
}

/// The schema checks AWS makes on `CreateUserPool`, with its messages.
mod schema {
    use super::*;

    fn create(c: &Cognito, schema: Value) -> Result<Value, CognitoError> {
        call(
            c,
            "CreateUserPool",
            json!({"PoolName": "p", "Schema": schema}),
        )
    }

    fn refused(schema: Value) -> String {
        let c = cognito();
        let e = create(&c, schema).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterException", "{}", e.message());
        e.message().to_owned()
    }

    fn accepted(schema: Value) -> Vec<Value> {
        let c = cognito();
        let out = create(&c, schema).unwrap_or_else(|e| panic!("{}", e.message()));
        out["UserPool"]["SchemaAttributes"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn named<'a>(attrs: &'a [Value], name: &str) -> &'a Value {
        attrs.iter().find(|a| a["Name"] == name).unwrap()
    }

    #[test]
    fn a_required_custom_attribute() {
        assert_eq!(
            refused(json!([{"Name": "tenant", "AttributeDataType": "String", "Required": true}])),
            "Required custom attributes are not supported currently."
        );
    }

    #[test]
    fn a_missing_attribute_data_type() {
        assert!(refused(json!([{"Name": "tenant"}])).contains("AttributeDataType"));
    }

    #[test]
    fn an_unknown_attribute_data_type() {
        let m = refused(json!([{"Name": "tenant", "AttributeDataType": "Text"}]));
        assert!(
            m.contains("at 'schema.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]"),
            "{m}"
        );
    }

    #[test]
    fn min_length_greater_than_max_length() {
        assert_eq!(
            refused(
                json!([{"Name": "tenant", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "2"}}])
            ),
            "user.tenant: Max length cannot be less than min length."
        );
    }

    #[test]
    fn max_length_over_2048() {
        assert_eq!(
            refused(
                json!([{"Name": "tenant", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "4096"}}])
            ),
            "user.tenant: String attributes cannot have a length of more than 2048"
        );
    }

    #[test]
    fn min_length_over_2048() {
        assert!(refused(json!([{"Name": "tenant", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "3000"}}])).contains("more than 2048"));
    }

    #[test]
    fn min_value_greater_than_max_value() {
        assert_eq!(
            refused(
                json!([{"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "9", "MaxValue": "1"}}])
            ),
            "user.age: Max value cannot be less than min value."
        );
    }

    #[test]
    fn a_changed_standard_attribute_type() {
        assert_eq!(
            refused(json!([{"Name": "email", "AttributeDataType": "Number"}])),
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"
        );
    }

    #[test]
    fn a_developer_only_standard_attribute() {
        assert!(refused(json!([{"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": true}]))
            .contains("standard schema attribute email"));
    }

    #[test]
    fn a_developer_only_custom_attribute_is_named_dev_custom() {
        let attrs = accepted(
            json!([{"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": true}]),
        );
        let a = named(&attrs, "dev:custom:secret");
        assert_eq!(a["DeveloperOnlyAttribute"], true);
        assert!(attrs.iter().all(|a| a["Name"] != "custom:secret"));
    }

    #[test]
    fn a_string_attribute_echoes_only_string_constraints() {
        let attrs = accepted(
            json!([{"Name": "tenant", "AttributeDataType": "String", "NumberAttributeConstraints": {"MinValue": "1"}, "StringAttributeConstraints": {"MaxLength": "20"}}]),
        );
        let a = named(&attrs, "custom:tenant");
        assert_eq!(a["StringAttributeConstraints"]["MaxLength"], "20");
        assert!(a.get("NumberAttributeConstraints").is_none(), "{a}");
    }

    #[test]
    fn a_number_attribute_echoes_only_number_constraints() {
        let attrs = accepted(
            json!([{"Name": "age", "AttributeDataType": "Number", "StringAttributeConstraints": {"MaxLength": "20"}, "NumberAttributeConstraints": {"MinValue": "1"}}]),
        );
        let a = named(&attrs, "custom:age");
        assert_eq!(a["NumberAttributeConstraints"]["MinValue"], "1");
        assert!(a.get("StringAttributeConstraints").is_none(), "{a}");
    }

    #[test]
    fn a_standard_attribute_may_become_required() {
        let attrs =
            accepted(json!([{"Name": "email", "AttributeDataType": "String", "Required": true}]));
        assert_eq!(named(&attrs, "email")["Required"], true);
        assert_eq!(named(&attrs, "email")["AttributeDataType"], "String");
    }
}
