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

export async function addIncident(storage, incident) {
  const { incidents } = await storage.get('incidents').catch(() => ({}));
  const list = Array.isArray(incidents) ? incidents.filter((i) => i && typeof i.origin === 'string') : [];
  list.push(incident);
  await storage.set({ incidents: list.slice(-MAX_INCIDENTS) });
}

export async function incidentsFor(storage, origin) {
  const { incidents } = await storage.get('incidents').catch(() => ({}));
  return (Array.isArray(incidents) ? incidents : []).filter((i) => i?.origin === origin).reverse();
}
