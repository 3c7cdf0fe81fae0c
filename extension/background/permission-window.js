// What the visitor asked for that needs an optional permission Firefox will not let the panel ask
// for (a frame in a web page has no permissions API there): it waits in storage.session (the
// worker may stop meanwhile) while Page Medic's own window asks, and is taken up once granted.
// `store`, `windows`, `permissions` and `pageUrl` are parameters so Node tests can use fakes.

export function createPermissionWindow({ store, windows, permissions, pageUrl }) {
  return {
    /** Opens the window that asks for `permission` for the failed `url`; the request waits. */
    async ask(permission, tabId, url, extra = {}) {
      await store.set({ pending: { permission, tabId, ...extra } });
      const host = new URL(url).hostname;
      await windows.create({
        url: pageUrl(`pages/grant.html?permission=${permission}&host=${encodeURIComponent(host)}`),
        type: 'popup', width: 480, height: 320,
      });
      return { askedElsewhere: true };
    },

    /** The waiting request, once, if its permission is now granted; null otherwise. */
    async take() {
      const { pending } = await store.get('pending');
      if (!pending) return null;
      await store.remove('pending');
      return (await permissions.contains({ permissions: [pending.permission] })) ? pending : null;
    },
  };
}
