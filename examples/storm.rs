//! Retry storms at internet scale: 100,000 visitors hit an origin that is down for 10 minutes,
//! then comes back. Compares Page Medic's real retry policy (`retry::Policy`, through
//! `Policy::decide`) with people pressing refresh by hand and with Chromium's fixed auto-reload
//! schedule: the peak request rate during the outage, and how long after recovery each visitor
//! has the page again. Pure and seeded, so every run gives the same figures.
//!
//! `cargo run --release --example storm -- [svg-path]` prints a Markdown table and writes the
//! requests-per-second plot (SVG) where asked. `./build.sh bench` runs it.
#[cfg(not(target_arch = "wasm32"))]
mod sim {
    use page_medic::retry::{Attempt, Policy};
    use page_medic::Verdict;

    const VISITORS: usize = 100_000;
    /// The origin refuses connections from 0 to this time (s); visitors arrive uniformly within it.
    const OUTAGE_S: f64 = 600.0;
    /// Simulated time (s).
    const HORIZON_S: f64 = 1_800.0;
    const BIN_S: f64 = 5.0;

    /// One visitor's requests to the origin (times in s) and when they had the page (if they did).
    struct Visit {
        requests: Vec<f64>,
        got_page: Option<f64>,
    }

    /// A way of trying again, given the time of the first failure and a random source.
    trait Strategy {
        fn name(&self) -> String;
        fn visit(&self, arrival: f64, rng: &mut fastrand::Rng) -> Visit;
    }

    /// People pressing refresh: every 5-30 s, and after each failure one in ten gives up.
    struct ByHand;
    impl Strategy for ByHand {
        fn name(&self) -> String {
            "refresh by hand (every 5-30 s, 10% give up after each failure)".into()
        }
        fn visit(&self, arrival: f64, rng: &mut fastrand::Rng) -> Visit {
            let mut t = arrival;
            let mut requests = vec![t];
            while t < OUTAGE_S {
                if rng.f64() < 0.10 {
                    return Visit {
                        requests,
                        got_page: None,
                    };
                }
                t += 5.0 + 25.0 * rng.f64();
                requests.push(t);
            }
            Visit {
                requests,
                got_page: Some(t),
            }
        }
    }

    /// The floor: each visitor's first load and nothing more (no one retries, no one gets the
    /// page while the simulation runs). The arrivals alone are this rate.
    struct FirstLoadsOnly;
    impl Strategy for FirstLoadsOnly {
        fn name(&self) -> String {
            "first loads only (no retries at all: the floor)".into()
        }
        fn visit(&self, arrival: f64, _: &mut fastrand::Rng) -> Visit {
            Visit {
                requests: vec![arrival],
                got_page: None,
            }
        }
    }

    /// Chromium's auto-reload of network-error pages: 1 s, 5 s, 30 s, 1, 5, 10 min, then every 30 min.
    struct ChromiumAutoReload;
    impl Strategy for ChromiumAutoReload {
        fn name(&self) -> String {
            "Chromium auto-reload (1 s, 5 s, 30 s, 1 min, 5 min, 10 min, 30 min)".into()
        }
        fn visit(&self, arrival: f64, _: &mut fastrand::Rng) -> Visit {
            let mut requests = vec![arrival];
            let mut t = arrival;
            for delay in [1.0, 5.0, 30.0, 60.0, 300.0, 600.0]
                .into_iter()
                .chain(std::iter::repeat(1_800.0))
            {
                if t >= OUTAGE_S || t > HORIZON_S {
                    break;
                }
                t += delay;
                requests.push(t);
            }
            Visit {
                requests,
                got_page: (t >= OUTAGE_S).then_some(t),
            }
        }
    }

    /// Page Medic: the core's policy decides each wait (full jitter); each step is one background
    /// check, and the page is loaded once a check answers (one more request).
    struct PageMedic(Policy);
    impl Strategy for PageMedic {
        fn name(&self) -> String {
            let p = self.0;
            format!(
                "Page Medic (full jitter, first window {} s, cap {} s)",
                p.base_ms / 1000,
                p.cap_ms / 1000
            )
        }
        fn visit(&self, arrival: f64, rng: &mut fastrand::Rng) -> Visit {
            let mut requests = vec![arrival];
            let mut t = arrival;
            for attempt in 0.. {
                let decision = self.0.decide(&Attempt {
                    verdict: Verdict::OriginDown,
                    idempotent: true,
                    retry_after_ms: None,
                    attempt,
                    elapsed_ms: ((t - arrival) * 1000.0) as u64,
                    jitter: rng.f64(),
                });
                let Some(after_ms) = decision.after_ms.filter(|_| decision.auto) else {
                    return Visit {
                        requests,
                        got_page: None,
                    };
                };
                t += after_ms as f64 / 1000.0;
                requests.push(t);
                if t >= OUTAGE_S {
                    requests.push(t); // the check answered: the tab loads the page
                    return Visit {
                        requests,
                        got_page: Some(t),
                    };
                }
            }
            unreachable!()
        }
    }

    struct Outcome {
        name: String,
        per_bin: Vec<u64>,
        peak_during_outage: f64,
        requests: u64,
        median_s: f64,
        p95_s: f64,
        without_page: usize,
    }

    fn run(strategy: &dyn Strategy) -> Outcome {
        let mut rng = fastrand::Rng::with_seed(502);
        let bins = (HORIZON_S / BIN_S) as usize;
        let mut per_bin = vec![0u64; bins];
        let mut waits = Vec::with_capacity(VISITORS);
        let mut requests = 0;
        for _ in 0..VISITORS {
            let arrival = OUTAGE_S * rng.f64();
            let visit = strategy.visit(arrival, &mut rng);
            for &t in &visit.requests {
                if t < HORIZON_S {
                    per_bin[(t / BIN_S) as usize] += 1;
                }
            }
            requests += visit.requests.len() as u64;
            if let Some(t) = visit.got_page {
                waits.push(t - OUTAGE_S);
            }
        }
        waits.sort_by(f64::total_cmp);
        let at = |q: f64| {
            waits
                .get(((waits.len() as f64 * q) as usize).min(waits.len().saturating_sub(1)))
                .copied()
                .unwrap_or(f64::NAN)
        };
        let outage_bins = (OUTAGE_S / BIN_S) as usize;
        Outcome {
            name: strategy.name(),
            peak_during_outage: *per_bin[..outage_bins].iter().max().unwrap_or(&0) as f64 / BIN_S,
            per_bin,
            requests,
            median_s: at(0.5),
            p95_s: at(0.95),
            without_page: VISITORS - waits.len(),
        }
    }

    /// A line chart of requests per second over time, one line per strategy.
    fn svg(outcomes: &[Outcome]) -> String {
        let (w, h, left, bottom) = (900.0, 420.0, 70.0, 50.0);
        let peak = outcomes
            .iter()
            .flat_map(|o| o.per_bin.iter())
            .copied()
            .max()
            .unwrap_or(1) as f64
            / BIN_S;
        let x = |t: f64| left + (w - left - 20.0) * t / HORIZON_S;
        let y = |rate: f64| (h - bottom) - (h - bottom - 20.0) * rate / peak;
        let colors = ["#c0392b", "#7f8c8d", "#2471a3", "#1e8449", "#b9770e"];
        let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <rect x=\"{}\" y=\"20\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>\n\
         <text x=\"{}\" y=\"34\" fill=\"#555\">origin down</text>\n",
        h + 20.0 * outcomes.len() as f64,
        x(0.0),
        x(OUTAGE_S) - x(0.0),
        h - bottom - 20.0,
        x(0.0) + 6.0
    );
        for tick in (0..=6).map(|i| f64::from(i) * 300.0) {
            out += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{} min</text>\n",
                x(tick),
                h - bottom + 18.0,
                tick / 60.0
            );
        }
        for i in 0..=4 {
            let rate = peak * f64::from(i) / 4.0;
            out += &format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.0}/s</text>\n",
                left - 6.0,
                y(rate) + 4.0,
                rate
            );
        }
        for (i, o) in outcomes.iter().enumerate() {
            let points: Vec<String> = o
                .per_bin
                .iter()
                .enumerate()
                .map(|(b, &n)| {
                    format!(
                        "{:.1},{:.1}",
                        x((b as f64 + 0.5) * BIN_S),
                        y(n as f64 / BIN_S)
                    )
                })
                .collect();
            let color = colors[i % colors.len()];
            out += &format!(
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{}\"/>\n",
                points.join(" ")
            );
            out += &format!(
                "<text x=\"{left}\" y=\"{}\" fill=\"{color}\">— {}</text>\n",
                h + 14.0 + 20.0 * i as f64,
                o.name
            );
        }
        out + "</svg>\n"
    }

    pub fn main() {
        if std::env::var_os("SWEEP").is_some() {
            return sweep();
        }
        let default = Policy::default();
        let strategies: Vec<Box<dyn Strategy>> = vec![
            Box::new(ByHand),
            Box::new(ChromiumAutoReload),
            Box::new(PageMedic(default)),
            Box::new(PageMedic(Policy {
                cap_ms: 60_000,
                ..default
            })),
            Box::new(FirstLoadsOnly),
        ];
        let outcomes: Vec<Outcome> = strategies.iter().map(|s| run(s.as_ref())).collect();
        let by_hand = outcomes[0].peak_during_outage;
        println!("| policy | peak req/s while down | vs by hand | requests | time to page after recovery: median | p95 | never got it |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        let secs = |s: f64| if s.is_nan() { "none got it".to_string() } else { format!("{s:.0} s") };
        for o in &outcomes {
            println!(
                "| {} | {:.0} | {:.0}% | {} | {} | {} | {} |",
                o.name,
                o.peak_during_outage,
                100.0 * o.peak_during_outage / by_hand,
                o.requests,
                secs(o.median_s),
                secs(o.p95_s),
                o.without_page
            );
        }
        if let Some(path) = std::env::args().nth(1) {
            std::fs::write(&path, svg(&outcomes))
                .unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        }
    }
    #[allow(dead_code)]
    pub fn sweep() {
        for base in [2_000u64, 5_000, 10_000, 20_000] {
            for cap in [60_000u64, 120_000, 300_000] {
                for max_attempts in [12u32, 30] {
                    let o = run(&PageMedic(Policy {
                        base_ms: base,
                        cap_ms: cap,
                        max_attempts,
                        ..Policy::default()
                    }));
                    println!("base {base} cap {cap} max {max_attempts}: peak {:.0} med {:.0} p95 {:.0} never {}", o.peak_during_outage, o.median_s, o.p95_s, o.without_page);
                }
            }
        }
    }
}

fn main() {
    // A native program (it needs fastrand, a native-only dev-dependency).
    #[cfg(not(target_arch = "wasm32"))]
    sim::main();
}
