//! Core cost: `diagnose` on a typical 502 (nginx's page padded to 2 KB) and on a 64 KiB page,
//! natively, release profile. A plain harness (median of timed batches): `./build.sh bench` runs
//! `cargo run --release --example core_cost` and puts the figures in docs/benchmarks.md.
use page_medic::{diagnose, Event};
use std::hint::black_box;
use std::time::Instant;

/// A 502 as nginx sends it, its page padded with ordinary markup to `body_bytes`.
pub fn bad_gateway(body_bytes: usize) -> Event {
    let mut body = String::from("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n");
    while body.len() < body_bytes.saturating_sub(60) {
        body.push_str("<p class=\"note\">The upstream server did not answer in time; please try again.</p>\n");
    }
    body.push_str("<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n");
    Event {
        url: "https://shop.example/cart?id=1".into(),
        status: Some(502),
        status_text: Some("Bad Gateway".into()),
        headers: vec![
            ("server".into(), "nginx/1.22.1".into()),
            ("content-type".into(), "text/html".into()),
            ("x-request-id".into(), "4f1c2b8e9d0a7c6b5e4f3a2b1c0d9e8f".into()),
        ],
        body: Some(body),
        now_ms: Some(1.7e12),
        jitter: Some(0.5),
        ..Event::default()
    }
}

fn median_ns(event: &Event) -> f64 {
    const BATCH: u32 = 200;
    let mut samples: Vec<f64> = (0..101)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..BATCH {
                black_box(diagnose(black_box(event)));
            }
            start.elapsed().as_nanos() as f64 / f64::from(BATCH)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    for (name, bytes) in [("typical 502, 2 KB page", 2 * 1024), ("502 with a 64 KiB page", 64 * 1024)] {
        let event = bad_gateway(bytes);
        let verdict = diagnose(&event).verdict;
        println!("native | {name} | {:.1} µs | verdict {verdict:?}", median_ns(&event) / 1000.0);
    }
}
