// The wasm core, started on first use: healthy browsing never pays for instantiating it.
import init, { diagnose } from '../core/page_medic.js';
import { webext } from '../shared/webext.js';

let ready = null;

function start() {
  ready ??= init({ module_or_path: webext.runtime.getURL('core/page_medic_bg.wasm') }).catch((error) => {
    ready = null; // let the next failure try again
    throw error;
  });
  return ready;
}

/** Diagnoses one event (the core's JSON contract). Throws the core's error for bad input. */
export async function diagnoseEvent(event) {
  await start();
  return diagnose(event);
}
