//! What more than one test file reads.

use serde_json::Value;

/// Every case of both fixture files (tests/fixtures/captured.json and documented.json), with its id.
pub fn all_cases() -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for file in ["captured.json", "documented.json"] {
        let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in fixture["cases"].as_array().unwrap() {
            all.push((case["id"].as_str().unwrap().to_string(), case.clone()));
        }
    }
    all
}
