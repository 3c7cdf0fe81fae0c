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
                    return Visit { requests, got_page: None };
                }
                t += 5.0 + 25.0 * rng.f64();
                requests.push(t);
            }
            Visit { requests, got_page: Some(t) }
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
            Visit { requests: vec![arrival], got_page: None }
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
            for delay in [1.0, 5.0, 30.0, 60.0, 300.0, 600.0].into_iter().chain(std::iter::repeat(1_800.0)) {
                if t >= OUTAGE_S || t > HORIZON_S {
                    break;
                }
                t += delay;
                requests.push(t);
            }
            Visit { requests, got_page: (t >= OUTAGE_S).then_some(t) }
        }
    }

    /// Page Medic: the core's policy decides each wait; each step is one background
    /// check, and the page is loaded once a check answers (one more request).
    struct PageMedic(Policy);
    impl Strategy for PageMedic {
        fn name(&self) -> String {
            let p = self.0;
            format!(
                "Page Medic (first retry {}-{} s, then {} s ±{}% growing ×{} to {} s)",
                p.first_ms.0 / 1000,
                p.first_ms.1 / 1000,
                p.steady_ms / 1000,
                p.spread_percent,
                p.growth_percent as f64 / 100.0,
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
                    refreshes: false,
                });
                let Some(after_ms) = decision.after_ms.filter(|_| decision.auto) else {
                    return Visit { requests, got_page: None };
                };
                t += after_ms as f64 / 1000.0;
                requests.push(t);
                if t >= OUTAGE_S {
                    requests.push(t); // the check answered: the tab loads the page
                    return Visit { requests, got_page: Some(t) };
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
        let at = |q: f64| waits.get(((waits.len() as f64 * q) as usize).min(waits.len().saturating_sub(1))).copied().unwrap_or(f64::NAN);
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
        let peak = outcomes.iter().flat_map(|o| o.per_bin.iter()).copied().max().unwrap_or(1) as f64 / BIN_S;
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
            out += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{} min</text>\n", x(tick), h - bottom + 18.0, tick / 60.0);
        }
        for i in 0..=4 {
            let rate = peak * f64::from(i) / 4.0;
            out += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.0}/s</text>\n", left - 6.0, y(rate) + 4.0, rate);
        }
        for (i, o) in outcomes.iter().enumerate() {
            let points: Vec<String> =
                o.per_bin.iter().enumerate().map(|(b, &n)| format!("{:.1},{:.1}", x((b as f64 + 0.5) * BIN_S), y(n as f64 / BIN_S))).collect();
            let color = colors[i % colors.len()];
            out += &format!("<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{}\"/>\n", points.join(" "));
            out += &format!("<text x=\"{left}\" y=\"{}\" fill=\"{color}\">— {}</text>\n", h + 14.0 + 20.0 * i as f64, o.name);
        }
        out + "</svg>\n"
    }

    /// The widened simulation (#15's questions): outages of every length at one arrival rate,
    /// visitors with several tabs of the site, visitors who close the tab as well as those who
    /// wait, a gateway's `Retry-After`, and an error a CDN keeps for a few seconds.
    pub mod wide {
        use page_medic::retry::{Attempt, Policy};
        use page_medic::Verdict;

        /// Visitors arrive at this rate while the site is down (100,000 in a 10-minute outage).
        pub const RATE: f64 = 100_000.0 / 600.0;
        /// By hand, one visitor in ten gives up after each failed refresh, one every 5-30 s: a
        /// mean patience of about 175 s. Visitors who would close the tab close it after as long
        /// (exponentially distributed); the rest keep it open until the page is back.
        const PATIENCE_S: f64 = 175.0;
        const WAITERS: f64 = 0.5;

        pub struct Outage {
            pub down_s: f64,
            /// `Retry-After` on every error, in ms.
            pub retry_after_ms: Option<u64>,
            /// How long a CDN keeps serving the error once the origin is back, in s.
            pub cached_s: f64,
        }

        struct Visitor {
            arrival: f64,
            /// The tabs of the site they have open (the failure is met in one; the others fail
            /// as they reload). The first load counts once for every way of trying again.
            tabs: u32,
            /// When they close the tab; `None`: they wait for the page.
            closes_at: Option<f64>,
        }

        #[derive(Default)]
        pub struct Outcome {
            pub peak: f64,
            pub median_s: f64,
            pub waiters_without: usize,
            pub waiters: usize,
        }

        /// One visitor's requests (times in s) and when they had the page.
        type Visit = (Vec<f64>, Option<f64>);

        pub enum Who {
            ByHand,
            Chromium,
            /// A retry policy of the core: one check at a time for the site (shared by the
            /// visitor's tabs), and every tab loads once it answers. The failed page's headers are
            /// read from the browser's cache, not asked again. `look`: the design before, which
            /// fetched the failed address once at the failure for them.
            PageMedic {
                policy: Policy,
                look: bool,
            },
        }

        fn visit(who: &Who, v: &Visitor, o: &Outage, rng: &mut fastrand::Rng) -> Visit {
            let back = o.down_s + o.cached_s; // the first moment a request gets the page
            let open = |t: f64| v.closes_at.is_none_or(|c| t < c);
            match who {
                Who::ByHand => {
                    let mut t = v.arrival;
                    let mut requests = vec![t];
                    while t < back {
                        if rng.f64() < 0.10 {
                            return (requests, None);
                        }
                        t += 5.0 + 25.0 * rng.f64();
                        requests.push(t);
                    }
                    (requests, Some(t))
                }
                Who::Chromium => {
                    // Each tab reloads on its own schedule.
                    let mut requests = vec![v.arrival];
                    let mut got = None;
                    for _ in 0..v.tabs {
                        let mut t = v.arrival;
                        for delay in [1.0, 5.0, 30.0, 60.0, 300.0, 600.0].into_iter().chain(std::iter::repeat(1_800.0)) {
                            if t >= back || !open(t + delay) {
                                break;
                            }
                            t += delay;
                            requests.push(t);
                        }
                        if t >= back {
                            got = Some(got.map_or(t, |g: f64| g.min(t)));
                        }
                    }
                    (requests, got)
                }
                Who::PageMedic { policy, look } => {
                    // The page's load (and, before, the look at the failed address).
                    let mut requests = vec![v.arrival; 1 + usize::from(*look)];
                    let mut t = v.arrival;
                    for attempt in 0u32.. {
                        let d = policy.decide(&Attempt {
                            verdict: Verdict::OriginDown,
                            idempotent: true,
                            retry_after_ms: o.retry_after_ms,
                            attempt,
                            elapsed_ms: ((t - v.arrival) * 1000.0) as u64,
                            jitter: rng.f64(),
                            refreshes: false,
                        });
                        let Some(ms) = d.after_ms.filter(|_| d.auto) else {
                            return (requests, None);
                        };
                        t += ms as f64 / 1000.0;
                        if !open(t) {
                            return (requests, None);
                        }
                        requests.push(t);
                        if t >= back {
                            requests.extend(std::iter::repeat_n(t, v.tabs as usize));
                            return (requests, Some(t));
                        }
                    }
                    unreachable!()
                }
            }
        }

        pub fn run(who: &Who, o: &Outage) -> Outcome {
            let mut rng = fastrand::Rng::with_seed(502);
            let bin = 5.0;
            let mut per_bin = vec![0u64; ((o.down_s + 1_800.0) / bin) as usize + 1];
            let mut waits = Vec::new();
            let mut out = Outcome::default();
            let visitors = (RATE * o.down_s) as usize;
            for _ in 0..visitors {
                let arrival = o.down_s * rng.f64();
                let r = rng.f64();
                let tabs = if r < 0.80 {
                    1
                } else if r < 0.95 {
                    2
                } else {
                    3
                };
                let waits_for_page = rng.f64() < WAITERS;
                let closes_at = (!waits_for_page).then(|| arrival - PATIENCE_S * (1.0 - rng.f64()).ln());
                let v = Visitor { arrival, tabs, closes_at };
                let (requests, got) = visit(who, &v, o, &mut rng);
                for t in requests {
                    if let Some(n) = per_bin.get_mut((t / bin) as usize) {
                        *n += 1;
                    }
                }
                if let Some(t) = got {
                    waits.push(t - o.down_s);
                }
                if waits_for_page && !matches!(who, Who::ByHand) {
                    out.waiters += 1;
                    out.waiters_without += usize::from(got.is_none());
                }
            }
            let down_bins = ((o.down_s / bin).ceil() as usize).max(1);
            out.peak = *per_bin[..down_bins].iter().max().unwrap_or(&0) as f64 / bin;
            waits.sort_by(f64::total_cmp);
            out.median_s = waits.get(waits.len() / 2).copied().unwrap_or(f64::NAN);
            out
        }
    }

    /// `SWEEP=wide`: the core's policy with other knobs, beside the goals for a 10-minute outage
    /// (peak ≤ 80% of by hand, median ≤ 60 s), the 20-second blip (median ≤ 15 s) and every
    /// length's peak ≤ by hand's.
    fn wide_sweep() {
        use wide::{run, Outage, Who};
        let lengths = [20.0, 120.0, 600.0, 3_600.0];
        let at = |down_s: f64, who: &Who| run(who, &Outage { down_s, retry_after_ms: None, cached_s: 0.0 });
        let hand: Vec<f64> = lengths.iter().map(|&d| at(d, &Who::ByHand).peak).collect();
        println!("| first retry | then mean | growth | cap | 20 s: peak vs by hand, median | 2 min | 10 min | 1 h: peak, median, waiters without |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        let default = Policy::default();
        for first_ms in [(5_000, 30_000), (10_000, 30_000), (15_000, 30_000), (10_000, 20_000)] {
            for steady_ms in [45_000, 60_000, 90_000] {
                for growth_percent in [125, 150] {
                    for cap_ms in [300_000, 600_000] {
                        let who = Who::PageMedic { policy: Policy { first_ms, steady_ms, growth_percent, cap_ms, ..default }, look: false };
                        let o: Vec<_> = lengths.iter().map(|&d| at(d, &who)).collect();
                        let cell = |i: usize| format!("{:.0}%, {:.0} s", 100.0 * o[i].peak / hand[i], o[i].median_s);
                        println!(
                            "| {}-{} s | {} s | ×{} | {} s | {} | {} | {} | {}, {} |",
                            first_ms.0 / 1000,
                            first_ms.1 / 1000,
                            steady_ms / 1000,
                            growth_percent as f64 / 100.0,
                            cap_ms / 1000,
                            cell(0),
                            cell(1),
                            cell(2),
                            cell(3),
                            o[3].waiters_without
                        );
                    }
                }
            }
        }
    }

    /// The widened table: every outage length, every way of trying again, and #15's goals.
    fn wide_table() {
        use wide::{run, Outage, Who};
        let policy = Policy::default();
        // The policy before session 8, exactly: full jitter in a window of 2 s doubling to 5 minutes
        // (a mean of half the window, ±100%), at least 1 s.
        let before = Policy { first_ms: (0, 2_000), steady_ms: 2_000, growth_percent: 200, cap_ms: 150_000, spread_percent: 100, floor_ms: 1_000, ..policy };
        let rows: Vec<(&str, Who, Option<u64>, f64)> = vec![
            ("refresh by hand", Who::ByHand, None, 0.0),
            ("Chromium auto-reload (each tab)", Who::Chromium, None, 0.0),
            ("Page Medic (the core's policy)", Who::PageMedic { policy, look: false }, None, 0.0),
            ("Page Medic, the gateway sends Retry-After: 5", Who::PageMedic { policy, look: false }, Some(5_000), 0.0),
            ("Page Medic, a CDN keeps the error 5 s", Who::PageMedic { policy, look: false }, None, 5.0),
            ("Page Medic as it was: a look at the failure, full jitter 2 s doubling to 5 min", Who::PageMedic { policy: before, look: true }, None, 0.0),
        ];
        println!();
        println!("Every outage length, visitors arriving at {:.0}/s while the site is down; each visitor has 1 tab of the site (80%), 2 (15%) or 3 (5%); half close the tab after a mean of 175 s (as those refreshing by hand give up), half wait for the page. Peak: requests a second at the origin while it is down, beside refresh by hand's in the same outage. Time to page: from the origin's recovery, median over those who got it.", wide::RATE);
        println!();
        println!("| outage | way of trying again | peak req/s | vs by hand | time to page, median | waiters left without the page |");
        println!("| --- | --- | ---: | ---: | ---: | ---: |");
        for down_s in [20.0, 120.0, 600.0, 3_600.0] {
            let mut by_hand = f64::NAN;
            for (name, who, retry_after_ms, cached_s) in &rows {
                let o = run(who, &Outage { down_s, retry_after_ms: *retry_after_ms, cached_s: *cached_s });
                if matches!(who, Who::ByHand) {
                    by_hand = o.peak;
                }
                let without = if o.waiters == 0 { "-".to_string() } else { format!("{} of {}", o.waiters_without, o.waiters) };
                println!(
                    "| {} | {name} | {:.0} | {:.0}% | {:.0} s | {without} |",
                    if down_s < 60.0 { format!("{down_s:.0} s") } else { format!("{:.0} min", down_s / 60.0) },
                    o.peak,
                    100.0 * o.peak / by_hand,
                    o.median_s,
                );
            }
        }
    }

    pub fn main() {
        if std::env::var_os("SWEEP").is_some() {
            return wide_sweep();
        }
        let default = Policy::default();
        let strategies: Vec<Box<dyn Strategy>> = vec![
            Box::new(ByHand),
            Box::new(ChromiumAutoReload),
            Box::new(PageMedic(default)),
            Box::new(PageMedic(Policy { cap_ms: 120_000, ..default })),
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
            std::fs::write(&path, svg(&outcomes)).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        }
        wide_table();
    }
}

fn main() {
    // A native program (it needs fastrand, a native-only dev-dependency).
    #[cfg(not(target_arch = "wasm32"))]
    sim::main();
}
