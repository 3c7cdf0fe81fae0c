// Background checks of a failed site, and the retry schedule they follow: one schedule per
// origin, so however many tabs failed on a site, it gets at most one check per backoff step.
// How long one request stands for others is the core's (`sharing`: its Sharing). State lives in
// storage.session (the worker may be stopped between steps); `store` and `fetch` are parameters
// so Node tests can run this with fakes of their own.
import { eventFromCheck } from './events.js';

/**
 * How far before its time a countdown or timer may end and still count as on time: Firefox's
 * timers end up to a millisecond before their time by `Date.now()` (26 of 300 in one measure),
 * and a step asked for that early would otherwise be "not yet", with no timer left to ask again.
 */
const EARLY_MS = 50;

export function createScheduler({ store, fetchImpl, diagnose, nextRetry, sharing, now = Date.now, random = Math.random }) {
  let shared = null; // the core's { check_ms, answered_ms, look_ms, confirm_ms }, once it has answered
  /** The core's sharing rules; without a core (one that would not start), nothing is shared. */
  async function sharingRules() {
    try {
      shared ??= await sharing();
      return shared;
    } catch {
      return { check_ms: 0, answered_ms: 0, look_ms: 0, confirm_ms: 0 };
    }
  }
  const inflight = new Map(); // origin -> { promise, at }
  const looks = new Map(); // url -> { promise, at }
  const locks = new Map(); // origin -> tail of the chain of operations on its schedule

  // Each origin's schedule as this worker last read or wrote it: only this worker writes them, so
  // storage is read once per origin while it runs (a failed page's help waits on none of it).
  const schedules = new Map();

  const key = (origin) => `origin:${origin}`;
  async function load(origin) {
    if (!schedules.has(origin)) schedules.set(origin, (await store.get(key(origin)))[key(origin)] ?? null);
    return schedules.get(origin);
  }
  /** Written through to storage, in order, so a worker started again finds it. */
  function save(origin, s) {
    schedules.set(origin, s);
    return store.set({ [key(origin)]: s });
  }

  /** Runs `fn` after every earlier operation on the same origin (awaits interleave otherwise). */
  function locked(origin, fn) {
    const run = (locks.get(origin) ?? Promise.resolve()).then(fn, fn);
    locks.set(origin, run.catch(() => {}));
    return run;
  }

  /**
   * One GET of the URL, bypassing the cache, read by the core: does the site answer? With the
   * visitor's cookies by default, as a reload would send them; `credentials: 'omit'` asks the way
   * another browser would.
   */
  async function probe(url, { credentials = 'include' } = {}) {
    try {
      const res = await fetchImpl(url, { cache: 'no-store', credentials, redirect: 'follow', signal: AbortSignal.timeout(15_000) });
      // Only the head is read: the body is not needed (and may be large).
      res.body?.cancel().catch(() => {});
      const headers = [...res.headers];
      const d = await diagnose(eventFromCheck(url, { status: res.status, statusText: res.statusText, headers }, { now: now(), jitter: random() }));
      return {
        answered: d.verdict === 'none', status: res.status, statusText: res.statusText, headers,
        retryAfterMs: d.retry_after_ms ?? null,
      };
    } catch (error) {
      return { answered: false, error: String(error?.message ?? error) };
    }
  }

  /** The retry check: one probe shared by every caller for the same origin (the core's check_ms). */
  async function check(url) {
    const { check_ms: checkMs } = await sharingRules();
    const origin = new URL(url).origin;
    const hit = inflight.get(origin);
    if (hit && now() - hit.at < checkMs) return hit.promise;
    const promise = probe(url);
    inflight.set(origin, { promise, at: now() });
    return promise;
  }

  return {
    /**
     * A tab failed on `url`: join its origin's schedule, or start one from the diagnosis's first
     * decision. Returns the schedule ({ nextAt, attempt, auto, reason }).
     */
    join(url, diagnosis) {
      const origin = new URL(url).origin;
      return locked(origin, async () => {
        const existing = await load(origin);
        // (A schedule waiting to confirm an answer does not stand: a page of the site failed
        // since, so that answer was a flap, and this failure's own decision counts, its
        // Retry-After included.)
        if (existing?.auto && existing.nextAt > now() && existing.answeredAt == null) return existing;
        // A page of the site has just failed: a check answered before that no longer stands.
        inflight.delete(origin);
        const first = diagnosis.retry ?? { auto: false, after_ms: null, reason: 'gave-up' };
        const s = {
          url, verdict: diagnosis.verdict, attempt: 0, firstAt: now(), auto: first.auto, reason: first.reason,
          nextAt: first.auto && first.after_ms != null ? now() + first.after_ms : null,
        };
        // The panel's countdown need not wait for the write (later operations read the copy here).
        save(origin, s).catch((error) => console.warn('Page Medic: schedule not stored', error));
        return s;
      });
    },

    /** A page of `url` is failing: its origin's schedule is read meanwhile, for `join`. */
    prefetch(url) {
      const origin = new URL(url).origin;
      locked(origin, () => load(origin)).catch(() => {});
    },

    /**
     * A tab's countdown on `url` ended. Checks the site once for this step (shared by every tab of
     * the origin) and answers { answered: true, confirmed } or the next step of the schedule.
     * `confirmed`: a second check, at least the core's confirm_ms after the first answer, found
     * the site answering too; until then it may be flapping, and only the tab that asked loads
     * again (`confirmAt`: when to check again to confirm).
     */
    due(url) {
      const origin = new URL(url).origin;
      return locked(origin, async () => {
        let s = await load(origin);
        if (!s) {
          // No schedule (the site answered a real load since): a plain check.
          const result = await check(url);
          return result.answered ? { answered: true, confirmed: true } : { answered: false, auto: false, reason: 'gave-up', nextAt: null };
        }
        const { answered_ms: answeredMs, confirm_ms: confirmMs } = await sharingRules();
        if (s.confirmedAt && now() - s.confirmedAt < answeredMs) return { answered: true, confirmed: true };
        if (s.nextAt && s.nextAt - now() > EARLY_MS) return s; // another tab already moved it on
        const result = await check(s.url);
        if (result.answered) {
          // The first answer after failures is not yet recovery: a second one, later, is.
          const confirmed = s.answeredAt != null && now() - s.answeredAt >= confirmMs - EARLY_MS;
          s = {
            ...s, answeredAt: s.answeredAt ?? now(), confirmedAt: confirmed ? now() : null,
            nextAt: confirmed ? null : (s.answeredAt ?? now()) + confirmMs,
          };
          await save(origin, s);
          return confirmed ? { answered: true, confirmed: true } : { answered: true, confirmed: false, confirmAt: s.nextAt };
        }
        // It failed again: an earlier answer was a flap, not recovery.
        if (s.answeredAt != null) s = { ...s, answeredAt: null };
        const attempt = s.attempt + 1;
        const decision = await nextRetry(s.verdict, 'GET', result.retryAfterMs, attempt, now() - s.firstAt, random());
        s = { ...s, attempt, auto: decision.auto, reason: decision.reason,
          nextAt: decision.auto && decision.after_ms != null ? now() + decision.after_ms : null, lastCheck: result };
        await save(origin, s);
        return s;
      });
    },

    /**
     * A page failed on `url`: one GET of the address, whose answer carries the headers (the
     * gateway, the request id, Retry-After). Shared by every tab of the address (the core's
     * look_ms).
     */
    async look(url) {
      const { look_ms: lookMs } = await sharingRules();
      for (const [key, hit] of looks) if (now() - hit.at >= lookMs) looks.delete(key);
      const hit = looks.get(url);
      if (hit) return hit.promise;
      const promise = probe(url);
      looks.set(url, { promise, at: now() });
      return promise;
    },

    check,
    probe,
  };
}
