//! A provider's own trouble, told from this browser's local history: when failures on unrelated
//! sites within a few minutes were all answered by the same CDN or platform, the provider is the
//! likelier cause than each site. Nothing leaves the browser for this: the history is its own.

use crate::diagnosis::{Gateway, GatewayKind, Notice, NoticeKind};
use crate::site::{host_of, site_of};
use crate::Event;

/// How far back failures count: "within a few minutes".
pub const WINDOW_MS: f64 = 5.0 * 60_000.0;
/// How many unrelated sites, this one included, must have failed through the provider. Two could
/// be chance (two sites of one owner, one bad deploy); three sites that share nothing but their
/// provider rarely fail together otherwise.
pub const SITES: usize = 3;

/// The provider-incident notice for a failure answered by `gateway`, when the history in the
/// event holds failures through the same provider on enough other, unrelated sites within the
/// window. Only providers that front many sites count (CDNs, platforms, cloud load balancers):
/// a site's own nginx failing says nothing of anyone else's.
pub fn provider_incident(event: &Event, gateway: Gateway) -> Option<Notice> {
    if !matches!(gateway.kind, GatewayKind::Cdn | GatewayKind::Platform | GatewayKind::LoadBalancer) {
        return None;
    }
    let now = event.now_ms.filter(|n| n.is_finite())?;
    let this = site_of(host_of(&event.url));
    let mut sites: Vec<&str> = vec![this];
    for (host, name, at) in &event.recent {
        let site = site_of(host);
        let lately = (now - WINDOW_MS..=now).contains(at);
        if lately && name == gateway.name && !site.is_empty() && !sites.contains(&site) {
            sites.push(site);
        }
    }
    (sites.len() >= SITES && !this.is_empty()).then(|| Notice {
        ms: Some(WINDOW_MS as u64),
        seen: Some(gateway.name.to_string()),
        count: u32::try_from(sites.len()).ok(),
        ..Notice::of(NoticeKind::ProviderIncident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose;

    const NOW: f64 = 1_796_133_600_000.0;

    fn cloudflare_502(url: &str, recent: &[(&str, &str, f64)]) -> Event {
        Event {
            url: url.into(),
            status: Some(502),
            headers: vec![("Server".into(), "cloudflare".into()), ("CF-Ray".into(), "8a1b2c3d4e5f6789-FRA".into())],
            body: Some("<title>502 Bad Gateway</title><center>cloudflare</center>".into()),
            now_ms: Some(NOW),
            recent: recent.iter().map(|(h, g, at)| (h.to_string(), g.to_string(), *at)).collect(),
            ..Event::default()
        }
    }

    fn incident(event: &Event) -> Option<Notice> {
        diagnose(event).notices.into_iter().find(|n| n.kind == NoticeKind::ProviderIncident)
    }

    #[test]
    fn three_unrelated_sites_through_one_provider_within_minutes_tell_its_trouble() {
        let recent = [("shop.example", "Cloudflare", NOW - 60_000.0), ("news.example.org", "Cloudflare", NOW - 200_000.0)];
        let n = incident(&cloudflare_502("https://www.blog.example.net/post?id=1", &recent)).expect("an incident");
        assert_eq!((n.seen.as_deref(), n.count, n.place.as_deref(), n.ms), (Some("Cloudflare"), Some(3), Some("FRA"), Some(300_000)));
    }

    #[test]
    fn no_false_blame() {
        let url = "https://blog.example.net/";
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, f64)]);
        let cases: &[Case] = &[
            ("one other site only", &[("shop.example", "Cloudflare", NOW - 1_000.0)]),
            ("too long ago", &[("shop.example", "Cloudflare", NOW - 1_000.0), ("news.example.org", "Cloudflare", NOW - 301_000.0)]),
            ("another provider", &[("shop.example", "Cloudflare", NOW - 1_000.0), ("news.example.org", "Fastly", NOW - 1_000.0)]),
            ("the same owner's sites", &[("api.example.net", "Cloudflare", NOW - 1_000.0), ("cdn.example.net", "Cloudflare", NOW - 1_000.0)]),
            ("the same site again", &[("shop.example", "Cloudflare", NOW - 1_000.0), ("www.shop.example", "Cloudflare", NOW - 2_000.0)]),
            ("a time from the future", &[("shop.example", "Cloudflare", NOW - 1_000.0), ("news.example.org", "Cloudflare", NOW + 9_000.0)]),
            ("a time that is no time", &[("shop.example", "Cloudflare", NOW - 1_000.0), ("news.example.org", "Cloudflare", f64::NAN)]),
        ];
        for (why, recent) in cases {
            assert_eq!(incident(&cloudflare_502(url, recent)), None, "{why}");
        }
        // A site's own nginx failing on three sites is three sites' trouble, not nginx's.
        let nginx = Event {
            url: url.into(),
            status: Some(502),
            headers: vec![("Server".into(), "nginx".into())],
            now_ms: Some(NOW),
            recent: vec![("a.example".into(), "nginx".into(), NOW), ("b.example".into(), "nginx".into(), NOW)],
            ..Event::default()
        };
        assert_eq!(incident(&nginx), None);
    }
}
