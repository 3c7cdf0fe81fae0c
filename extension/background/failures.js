// Each tab's failure, as the background keeps it: the record the panel, the popup and the report
// read (in storage.session: the worker may be stopped at any moment), whether the tab's page came
// from a form submission (never sent again by itself), and the diagnosis under way between a
// failed page's first report (document_start) and its parsed page (memory: it lasts milliseconds).
// `store` is a parameter so Node tests can run this with a fake.

import { siteAndPath, withoutFragment } from '../shared/addresses.js';

const failureKey = (tabId) => `failure:${tabId}`;
const formKey = (tabId) => `form:${tabId}`;
const idOf = (key, prefix) => Number(key.slice(prefix.length));

/** `promise`, or null once `ms` have passed. */
export function within(promise, ms) {
  let timer;
  const late = new Promise((ok) => { timer = setTimeout(ok, ms, null); });
  // (Its timer goes once the race is decided: a long wait that ended early leaves nothing pending.)
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export function deferred() {
  let resolve;
  const promise = new Promise((ok) => { resolve = ok; });
  return { promise, resolve };
}

export function createFailures({ store, ownOrigin }) {
  // Which tabs hold a record or a form mark: read once when the worker starts, then kept here, so
  // a healthy page's navigation costs no storage read at all.
  const index = store.get(null).then((all) => {
    const keys = Object.keys(all);
    return {
      failures: new Set(keys.filter((k) => k.startsWith('failure:')).map((k) => idOf(k, 'failure:'))),
      // tabId -> the address its form was sent to
      forms: new Map(keys.filter((k) => k.startsWith('form:')).map((k) => [idOf(k, 'form:'), all[k]])),
      // [tabId, failure]: records whose history line the previous background did not write
      unrecorded: keys.filter((k) => k.startsWith('failure:') && all[k]?.historyDue).map((k) => [idOf(k, 'failure:'), all[k]]),
    };
  });
  // tabId -> the site and path its page is sending a form to by GET (a search box): the browser
  // marks that form's answer `form_submit` too, but it is an address like any other. Memory: it
  // lasts until the tab's next commit; a worker stopped meanwhile takes the answer as a form's,
  // which is the safe side.
  const sentByGet = new Map();
  /** The tab's form mark goes, from memory and the store. */
  async function dropForm(tabId) {
    (await index).forms.delete(tabId);
    await store.remove(formKey(tabId));
  }
  const underway = new Map(); // tabId -> entry
  const waiting = new Map(); // tabId -> [resolve]
  // A diagnosis finished before its panel asked (the usual order): kept for that one question, so
  // the panel is answered from memory, not from two storage reads.
  const finished = new Map(); // tabId -> { url, failure, schedule }
  // A tab's record is written, and dropped when the tab moves on, one change after another: a
  // page's commit (which reads the record, then may drop it) and its failure's record (written a
  // moment later, for a network error) must not interleave, or the new record is dropped.
  const chains = new Map(); // tabId -> the tab's last change
  const inTurn = (tabId, change) => {
    const done = (chains.get(tabId) ?? Promise.resolve()).then(change, change);
    const settled = done.catch(() => {});
    chains.set(tabId, settled);
    settled.then(() => { if (chains.get(tabId) === settled) chains.delete(tabId); });
    return done;
  };

  return {
    async load(tabId) {
      return (await store.get(failureKey(tabId)))[failureKey(tabId)] ?? null;
    },

    /** Every tab's failure record: [tabId, failure] pairs. */
    async all() {
      const { failures } = await index;
      const keys = [...failures].map(failureKey);
      if (!keys.length) return [];
      const stored = await store.get(keys);
      return [...failures].filter((id) => stored[failureKey(id)]).map((id) => [id, stored[failureKey(id)]]);
    },

    save(tabId, failure) {
      return inTurn(tabId, async () => {
        (await index).failures.add(tabId);
        await store.set({ [failureKey(tabId)]: failure });
      });
    },

    /**
     * The failures whose history line a background stopped before it wrote it, as this one
     * started: given once.
     */
    async unrecorded() {
      const known = await index;
      const left = known.unrecorded;
      known.unrecorded = [];
      return left;
    },

    /** The tab's failure of `at` is in the history now: its record no longer says it is due. */
    recorded(tabId, at) {
      return inTurn(tabId, async () => {
        const failure = await this.load(tabId);
        if (!failure?.historyDue || failure.at !== at) return;
        delete failure.historyDue;
        await store.set({ [failureKey(tabId)]: failure });
      });
    },

    /** The tab is gone: everything of it. */
    forget(tabId) {
      underway.get(tabId)?.ready.resolve(null);
      underway.delete(tabId);
      finished.delete(tabId);
      sentByGet.delete(tabId);
      return inTurn(tabId, async () => {
        const { failures, forms } = await index;
        failures.delete(tabId);
        forms.delete(tabId);
        await store.remove([failureKey(tabId), formKey(tabId)]);
      });
    },

    /**
     * A main-frame page committed in the tab: mark it if a form sent it; drop the tab's failure
     * and form mark if the tab moved on to another address (Page Medic's own pages are not moving
     * on; the form's address again is its form again, as a reload of a form's answer is).
     * (`form`: the browser's `form_submit`, which it gives a form sent by GET as well: the answer at
     * the address such a form was told to go to is no form's. One redirected elsewhere stays one.)
     */
    async committed(tabId, url, form) {
      const byGet = sentByGet.get(tabId);
      sentByGet.delete(tabId);
      if (form && byGet && byGet === siteAndPath(url)) form = false;
      if (finished.get(tabId)?.url !== url) finished.delete(tabId);
      const { failures, forms } = await index;
      if (form) {
        await this.formSent(tabId, url);
      } else if (forms.has(tabId) && forms.get(tabId) !== withoutFragment(url) && !url.startsWith(ownOrigin)) {
        await dropForm(tabId);
      }
      if (!failures.has(tabId) || url.startsWith(ownOrigin)) return;
      await inTurn(tabId, async () => {
        const failure = await this.load(tabId);
        if (failure?.url === url) return;
        failures.delete(tabId);
        await store.remove(failureKey(tabId));
      });
    },

    /**
     * The tab's page is sending a form to `url`: its answer, or its failure, is a form's (told
     * before either, by the page: a failure that never answered commits no form's page).
     */
    async formSent(tabId, url) {
      (await index).forms.set(tabId, withoutFragment(url));
      await store.set({ [formKey(tabId)]: withoutFragment(url) });
    },

    /**
     * The tab's page is sending a form to `url` by GET (its fields become the address's query):
     * its answer, when it commits, is not a form's (see `committed`).
     */
    getSent(tabId, url) {
      const at = siteAndPath(url);
      if (at) sentByGet.set(tabId, at);
    },

    /** The tab's page at `url` came from no form after all (the browser told its method). */
    async notForm(tabId, url) {
      if ((await index).forms.get(tabId) === withoutFragment(url)) await dropForm(tabId);
    },

    /** Whether the tab's page at `url` came from a form submission. */
    async isForm(tabId, url) {
      return (await index).forms.get(tabId) === withoutFragment(url);
    },

    /** A failed page's diagnosis starts: `entry` is what the background knows of it so far. */
    begin(tabId, entry) {
      underway.get(tabId)?.ready.resolve(null);
      finished.delete(tabId);
      const started = { ...entry, ready: deferred() };
      underway.set(tabId, started);
      for (const ok of waiting.get(tabId) ?? []) ok(started);
      waiting.delete(tabId);
      return started;
    },

    /** The diagnosis under way in the tab, if any. */
    underway(tabId) {
      return underway.get(tabId) ?? null;
    },

    /**
     * The diagnosis is done: whoever waits for it gets `info` (null: no help for this page), and
     * the failure with its schedule is kept for the first question that comes later (`finished`).
     */
    end(tabId, entry, info, done = null) {
      entry.ready.resolve(info);
      if (underway.get(tabId) !== entry) return;
      underway.delete(tabId);
      if (done) finished.set(tabId, { url: entry.url, ...done });
    },

    /** The tab's diagnosis of `url` that finished since, once: { failure, schedule }, or null. */
    finished(tabId, url) {
      const done = finished.get(tabId);
      finished.delete(tabId);
      return done?.url === url ? done : null;
    },

    /** The diagnosis under way in the tab, or the next one to start there within `ms`. */
    arrival(tabId, ms) {
      const entry = underway.get(tabId);
      if (entry) return Promise.resolve(entry);
      return within(new Promise((ok) => waiting.set(tabId, [...(waiting.get(tabId) ?? []), ok])), ms);
    },
  };
}
