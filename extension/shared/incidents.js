// The local incident history: what failed, where (origin and path, never the query string), when
// and why. Capped; the oldest go first. `storage` is a parameter so Node tests can run it.

export const MAX_INCIDENTS = 100;

export function incidentOf(url, diagnosis, { status, error, now }) {
  const u = new URL(url);
  return {
    origin: u.origin,
    path: u.pathname,
    verdict: diagnosis.verdict,
    status: status ?? null,
    error: error ?? null,
    gateway: diagnosis.gateway?.name ?? null,
    at: now,
  };
}

// Each storage's last write of the history: a write reads the list, adds and writes it back, so
// writes made at the same moment (many tabs failing in one outage) go one after another, or all
// but the last are lost.
const writes = new WeakMap();

/**
 * Adds an incident, once (the same failure again, as a restarted background may give it, is not a
 * second line). A stored history that is not a list of incidents (corrupt, or an old format)
 * is repaired with a log line; when the storage is full, the oldest incidents go first.
 */
export function addIncident(storage, incident, log = console.warn) {
  const write = (writes.get(storage) ?? Promise.resolve()).then(() => append(storage, incident, log));
  writes.set(storage, write.catch(() => {}));
  return write;
}

async function append(storage, incident, log) {
  const { incidents } = await storage.get('incidents').catch(() => ({}));
  const list = Array.isArray(incidents) ? incidents.filter((i) => i && typeof i.origin === 'string') : [];
  if (incidents !== undefined && list.length !== (Array.isArray(incidents) ? incidents.length : -1)) {
    log('Page Medic: the stored incident history was damaged; kept what could be read', { kept: list.length });
  }
  if (list.some((i) => i.at === incident.at && i.origin === incident.origin && i.path === incident.path)) return;
  list.push(incident);
  let keep = list.slice(-MAX_INCIDENTS);
  for (;;) {
    try {
      await storage.set({ incidents: keep });
      return;
    } catch (error) {
      if (!/quota/i.test(String(error?.message ?? error)) || keep.length <= 1) throw error;
      // Full: drop the older half and try again.
      log('Page Medic: storage is full; dropping the oldest incidents', { before: keep.length });
      keep = keep.slice(Math.floor(keep.length / 2));
    }
  }
}

/**
 * The failures of the last `withinMs` that a gateway answered, as the core reads them (its event's
 * `recent`): `[host, gateway name, when]` each. Only what the history already holds; nothing is
 * asked of anyone.
 */
export async function recentFailures(storage, now, withinMs = 10 * 60_000) {
  const { incidents } = await storage.get('incidents').catch(() => ({}));
  return (Array.isArray(incidents) ? incidents : [])
    .filter((i) => typeof i?.gateway === 'string' && typeof i.origin === 'string' && Number.isFinite(i.at) && now - i.at <= withinMs)
    .map((i) => {
      try {
        return [new URL(i.origin).hostname, i.gateway, i.at];
      } catch {
        return null;
      }
    })
    .filter(Boolean);
}

export async function incidentsFor(storage, origin) {
  const { incidents } = await storage.get('incidents').catch(() => ({}));
  return (Array.isArray(incidents) ? incidents : []).filter((i) => i?.origin === origin).reverse();
}
