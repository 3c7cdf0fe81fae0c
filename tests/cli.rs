//! The CLI as a person uses it: JSON lines in, one diagnosis (or error) per line out.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_page-medic"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn one_answer_per_line_and_bad_lines_do_not_stop_the_rest() {
    let input = concat!(
        r#"{"url":"https://a.example/","status":502,"headers":[["Server","nginx"]],"body":"<center>nginx</center>"}"#,
        "\n",
        "this is not json\n",
        "\n",
        r#"{"url":"https://a.example/","error":"Error code 2152398878","browser":"firefox"}"#,
        "\n",
        r#"{"status":503}"#,
        "\n",
    );
    let (code, stdout, _) = run(&["diagnose"], input);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0]["verdict"], "origin-down");
    assert_eq!(lines[0]["gateway"]["name"], "nginx");
    assert!(lines[1]["error"].as_str().unwrap().contains("bad event"));
    assert_eq!(lines[2]["verdict"], "dns-failure");
    assert!(lines[3]["error"].as_str().unwrap().contains("url"));
}

#[test]
fn invalid_utf8_is_an_error_line_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_page-medic")).arg("diagnose").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"{\"url\":\"x\xff\",\"status\":502}\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["verdict"], "origin-down");
}

#[test]
fn usage_errors_say_how_to_call_it() {
    let (code, _, stderr) = run(&["frobnicate"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("usage: page-medic diagnose"));
}
