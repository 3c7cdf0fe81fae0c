// Each failed tab's line in the local incident history, written once: once its panel is on screen
// (after-panel.js) or at once where no panel will be. Until it is written the line waits in the
// failure's record (`historyDue`, storage.session), so a background stopped before writing it
// leaves it to the next one, which writes it as it starts. Dependencies are parameters, so Node
// tests can run it with fakes.
import { addIncident, incidentOf } from '../shared/incidents.js';

/** `local`: storage.local; `failures`: the records (failures.js); `afterPanel`: held work. */
export function createHistory({ local, failures, afterPanel, log = console.warn }) {
  async function write(tabId, failure) {
    try {
      await addIncident(local, incidentOf(failure.url, failure.diagnosis, { status: failure.status, error: failure.error, now: failure.at }));
      await failures.recorded(tabId, failure.at);
    } catch (error) {
      log('Page Medic: incident not recorded', error);
    }
  }

  return {
    /** The tab's failure into the history now (its record saved first). */
    now: write,

    /** The tab's failure into the history once its panel is on screen, or within a second. */
    afterPanel(tabId, failure) {
      afterPanel.hold(tabId, () => write(tabId, failure));
    },

    /** What a stopped background left unwritten, written now (as the background starts). */
    async resume() {
      for (const [tabId, failure] of await failures.unrecorded()) await write(tabId, failure);
    },
  };
}
