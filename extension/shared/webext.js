// One name for the extension API in both browsers: Firefox has `browser` (promises), Chrome `chrome`.
export const webext = globalThis.browser ?? globalThis.chrome;
