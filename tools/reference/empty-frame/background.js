// Hears of each failure and does nothing: the extension runs while its frame loads, as Page
// Medic's does when it helps (a warm start; without it, Chromium may start a process for the frame).
(globalThis.browser ?? globalThis.chrome).runtime.onMessage.addListener(() => {});
