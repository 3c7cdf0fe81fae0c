// The visitor's settings as the background reads them: from storage.sync once, then kept until
// they change there (read again after a worker restart), with the choices the core takes for
// every decision. `sync` and `onChanged` are parameters so Node tests can run this with fakes.
import { choicesOf, loadOptions } from '../shared/options.js';

export function createSettings({ sync, onChanged }) {
  let current = null; // Promise of { options, choices }
  onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes.options) current = null;
  });
  const read = () => {
    current ??= loadOptions(sync).then((options) => ({ options, choices: choicesOf(options) }));
    return current;
  };
  return {
    /** The visitor's settings (options.js's shape). */
    options: async () => (await read()).options,
    /** What of them the core takes (`choicesOf`). */
    choices: async () => (await read()).choices,
  };
}
