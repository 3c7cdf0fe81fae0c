// The core's diagnosis of a failed page, with the site's own answer where the core asks for it.
// One place for both kinds of failure (a page that arrived, a network error), so that when to ask
// the site stays the core's decision. Dependencies are parameters: Node tests run it with fakes.
import { within } from './failures.js';

/**
 * The core's diagnosis of `event`. Where the core asks for the site's own answer (`ask_site`: what
 * the failed page could not carry, such as the headers of a `no-store` 5xx or of an empty one the
 * browser would not show) and the page is no form's (a form is never sent again): one look at
 * `url`, waited for at most `lookWaitMs`, and the core's diagnosis again of `withAnswer(answer)`,
 * the event with that answer, or null where the answer is not this failure's.
 */
export async function diagnoseAsking(event, { url, form, diagnose, look, lookWaitMs, withAnswer }) {
  const diagnosis = await diagnose(event);
  if (!diagnosis.ask_site || form) return { event, diagnosis };
  const answer = await within(look(url), lookWaitMs);
  const again = answer ? withAnswer(answer) : null;
  return again ? { event: again, diagnosis: await diagnose(again) } : { event, diagnosis };
}
