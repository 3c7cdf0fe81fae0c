// "Check the site's status page": one GET of the site's own Statuspage summary, on the visitor's
// click only, at the address the core chose (a `Link: rel="status"` of the failed response on the
// site's own domain, or status.<site>; never anyone else's). Without cookies, without following a
// redirect elsewhere, at most 1 MiB read. What its indicator means is the core's (`level`); the
// page's own words are passed on as text. `fetchImpl` and `level` are parameters, so Node tests
// run this with fakes.

const MAX_BYTES = 1 << 20;
const TIMEOUT_MS = 10_000;

/** Text from the status page, as text: a string of at most `max` characters, or null. */
const text = (value, max = 200) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null);
/** An ISO time from the status page, in ms since the epoch, or null. */
const time = (value) => (typeof value === 'string' && Number.isFinite(Date.parse(value)) ? Date.parse(value) : null);

/**
 * Reads the site's status page. Answers { ok: true, page, level, description, incidents,
 * maintenances } or { ok: false, page, problem: 'unreachable' | 'malformed' }.
 */
export async function readStatusPage([page, summaryUrl], { fetchImpl, level }) {
  let body;
  try {
    const res = await fetchImpl(summaryUrl, {
      credentials: 'omit', cache: 'no-store', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return { ok: false, page, problem: 'unreachable', status: res.status };
    body = await res.text();
  } catch {
    return { ok: false, page, problem: 'unreachable' };
  }
  let summary;
  try {
    summary = JSON.parse(body.length > MAX_BYTES ? '' : body);
  } catch {
    return { ok: false, page, problem: 'malformed' };
  }
  const indicator = summary?.status?.indicator;
  if (typeof indicator !== 'string') return { ok: false, page, problem: 'malformed' };
  const list = (value) => (Array.isArray(value) ? value.filter((x) => x && typeof x === 'object') : []);
  // Open incidents (Statuspage: investigating, identified, monitoring; not resolved or postmortem).
  const incidents = list(summary.incidents)
    .filter((i) => !['resolved', 'postmortem'].includes(i.status))
    .slice(0, 5)
    .map((i) => ({ name: text(i.name), status: text(i.status, 40), impact: text(i.impact, 40), since: time(i.created_at) }));
  // Maintenance under way or coming (Statuspage: scheduled, in_progress, verifying).
  const maintenances = list(summary.scheduled_maintenances)
    .filter((m) => ['scheduled', 'in_progress', 'verifying'].includes(m.status))
    .slice(0, 5)
    .map((m) => ({ name: text(m.name), status: text(m.status, 40), from: time(m.scheduled_for), until: time(m.scheduled_until) }));
  return {
    ok: true, page, level: await level(indicator), description: text(summary.status.description), incidents, maintenances,
  };
}
