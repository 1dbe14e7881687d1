//! Inputs made from the model's own shapes, thrown at the generated validators and at
//! the operations behind them: for every operation of the model, structures filled with
//! members of the right shape (and sometimes the wrong one), strings that break lengths
//! and patterns (control characters, bidi overrides, long runs), unknown enum values,
//! numbers out of range. Every answer must be a result or an AWS-shaped error: the
//! generated `dispatch` never panics. Seeded: `FUZZ_SEED=N` reproduces a run.

use std::sync::Arc;

use cognito_emulator::clock::SystemClock;
use cognito_emulator::cognito::Cognito;
use cognito_emulator::context::RequestContext;
use cognito_emulator::mailer::Mailer;
use cognito_emulator::Outbox;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

const ROUNDS: usize = 8;

/// A value of shape `name`, mostly well-formed, sometimes not.
fn value(shapes: &Map<String, Value>, name: &str, rng: &mut StdRng, depth: usize) -> Value {
    let shape = &shapes[name];
    if rng.gen_ratio(1, 40) {
        // The wrong JSON type altogether.
        return [json!(null), json!(7), json!("x"), json!([]), json!({})][rng.gen_range(0..5)]
            .clone();
    }
    match shape["type"].as_str().unwrap_or("string") {
        "string" => {
            if let Some(values) = shape["enum"].as_array() {
                if rng.gen_ratio(1, 5) {
                    return json!("NOT_A_VALUE");
                }
                return values[rng.gen_range(0..values.len())].clone();
            }
            let len = match rng.gen_range(0..4) {
                0 => 0,
                1 => rng.gen_range(1..12),
                2 => shape["max"].as_u64().unwrap_or(64) as usize + 1,
                _ => shape["min"].as_u64().unwrap_or(1) as usize,
            }
            .min(5000);
            let alphabet = [
                'a', 'Z', '0', '_', '-', '@', '.', ' ', '\u{0}', '\u{202e}', 'é', '漢', '{', '#',
            ];
            json!((0..len)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                .collect::<String>())
        }
        "integer" | "long" => json!(rng.gen_range(-5_i64..100_000)),
        "double" | "float" => json!(rng.gen::<f64>()),
        "boolean" => json!(rng.gen::<bool>()),
        "timestamp" => json!(rng.gen_range(0..2_000_000_000_i64)),
        "blob" => json!("aGVsbG8="),
        "list" if depth < 4 => {
            let member = shape["member"]["shape"].as_str().unwrap_or_default();
            let n = rng.gen_range(0..4);
            Value::Array(
                (0..n)
                    .map(|_| value(shapes, member, rng, depth + 1))
                    .collect(),
            )
        }
        "map" if depth < 4 => {
            let v = shape["value"]["shape"].as_str().unwrap_or_default();
            let mut m = Map::new();
            for i in 0..rng.gen_range(0..3) {
                m.insert(format!("k{i}"), value(shapes, v, rng, depth + 1));
            }
            Value::Object(m)
        }
        "structure" if depth < 4 => {
            let mut m = Map::new();
            for (member, spec) in shape["members"].as_object().into_iter().flatten() {
                if rng.gen_ratio(2, 3) {
                    let t = spec["shape"].as_str().unwrap_or_default();
                    m.insert(member.clone(), value(shapes, t, rng, depth + 1));
                }
            }
            Value::Object(m)
        }
        _ => json!({}),
    }
}

#[test]
fn generated_validators_answer_every_input_made_from_the_model() {
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261126);
    let model: Value =
        serde_json::from_str(include_str!("../model/cognito-idp-2016-04-18.json")).unwrap();
    let shapes = model["shapes"].as_object().unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let outbox = Outbox::new();
    let cognito = Cognito::new(
        Arc::new(SystemClock),
        Mailer::new(outbox, None, Arc::new(SystemClock)),
    );
    let ctx = RequestContext::new("us-east-1", "000000000000");
    let mut answered = 0;
    let mut rejected_by_validation = 0;
    for _ in 0..ROUNDS {
        for (op, spec) in model["operations"].as_object().unwrap() {
            let input = match spec["input"]["shape"].as_str() {
                Some(shape) => value(shapes, shape, &mut rng, 0),
                None => json!({}),
            };
            // The generated dispatch, past the emulator's "not emulated" front door: the
            // validators of every operation run.
            let outcome = cognito_emulator::generated::cognito::dispatch(&cognito, &ctx, op, input)
                .expect("every model operation dispatches");
            answered += 1;
            if let Err(e) = outcome {
                assert!(!e.code().is_empty() && !e.message().is_empty(), "{op}");
                assert!(e.http_status() < 500, "{op}: {} {}", e.code(), e.message());
                if e.message().contains("validation error") {
                    rejected_by_validation += 1;
                    assert_eq!(
                        e.code(),
                        "InvalidParameterException",
                        "{op}: {}",
                        e.message()
                    );
                }
            }
        }
    }
    assert!(answered > 1000, "{answered}");
    assert!(rejected_by_validation > 100, "{rejected_by_validation}");
}
