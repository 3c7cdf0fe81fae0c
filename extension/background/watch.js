// "Tell me when it's back": the visitor may leave a failed page; Page Medic keeps checking its
// site with alarms (which wake a stopped worker) and shows a notification when it answers.
// Checks go through the scheduler, so a site gets one check per backoff step however many tabs
// and watches wait on it. What a watch needs lives in `store` (storage.session): the worker may
// be stopped between two alarms. When to check next, and when to stop, is the core's
// (`nextCheck`: its watchNext). Browser APIs are parameters, so Node tests can run this.

const PREFIX = 'watch:';
/** Alarms closer than this are rounded up (Chrome clamps packed extensions' alarms to 30 s). */
const MIN_DELAY_MS = 1_000;

export const watchId = (url) => `${PREFIX}${new URL(url).origin}`;

export function createWatcher({
  store, alarms, notifications, scheduler, nextCheck, openTab, text, iconUrl, onBack = async () => {}, now = Date.now,
}) {
  const load = async (id) => (await store.get(id))[id] ?? null;

  /**
   * Sets the origin's alarm for the core's next check (the schedule's next step, or a slow
   * check when it has none); false, and the watch ends, once the core says it is over.
   */
  async function arm(id, watch, step) {
    const at = await nextCheck(watch.since, now(), step?.auto && step.nextAt ? step.nextAt : undefined);
    if (at == null) {
      await store.remove(id);
      return false;
    }
    await alarms.create(id, { when: Math.max(at, now() + MIN_DELAY_MS) });
    return true;
  }

  return {
    /** Starts (or joins) the watch of `url`'s site; `diagnosis` starts its schedule if it has none. */
    async start(url, diagnosis) {
      const id = watchId(url);
      const existing = await load(id);
      const watch = { url, since: existing?.since ?? now(), verdict: diagnosis.verdict };
      await store.set({ [id]: watch });
      return { watching: await arm(id, watch, await scheduler.join(url, diagnosis)) };
    },

    async isWatching(url) {
      return Boolean(await load(watchId(url)));
    },

    /** An alarm went off: check the site once for this step; tell the visitor if it answered. */
    async onAlarm(name) {
      if (!name.startsWith(PREFIX)) return;
      const watch = await load(name);
      if (!watch) return;
      const step = await scheduler.due(watch.url);
      if (step.answered && !step.confirmed) {
        // It answered once: a second check confirms it before the visitor hears "it's back".
        await alarms.create(name, { when: Math.max(step.confirmAt ?? 0, now() + MIN_DELAY_MS) });
        return;
      }
      if (step.answered) {
        await store.set({ [name]: { ...watch, backAt: now() } });
        await onBack(watch.url); // tabs still open on the site load again
        const host = new URL(watch.url).host;
        await notifications.create(name, {
          type: 'basic', iconUrl, title: text('notify_back_title', [host]), message: text('notify_back_message', [host]),
        });
        return;
      }
      await arm(name, watch, step);
    },

    /** The visitor clicked the notification: open the page that failed. */
    async onClicked(notificationId) {
      if (!notificationId.startsWith(PREFIX)) return;
      const watch = await load(notificationId);
      await notifications.clear(notificationId);
      await store.remove(notificationId);
      if (watch?.backAt) await openTab(watch.url);
    },
  };
}
