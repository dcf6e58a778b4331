// The studio's preview frame: starts the real widget with the draft its parent, the editor, sends, and shows the
// survey when asked. The frame is sandboxed, so this page's origin is opaque; it listens to its parent only.
(() => {
  'use strict';
  const me = document.currentScript;
  const params = new URLSearchParams(location.search);
  // The editor's origin: the collector's, which the opaque origin of this frame no longer says.
  const parentOrigin = new URL(location.href).origin;
  let started = false;

  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || !event.data || event.data.type !== 'start') return;
    const { definition, show } = event.data;
    if (started || !definition) return;
    started = true;
    window.ReboundConfig = {
      endpoint: me.dataset.endpoint,
      site: 'studio-preview',
      locale: params.get('locale') || 'en',
      theme: params.get('theme') || 'light',
      // Nothing is kept between previews, and there are no cases to follow up.
      consent: 'denied',
      followUp: false,
      surveys: [definition],
    };
    const widget = document.createElement('script');
    widget.src = '/pkg/rebound.js';
    widget.async = true;
    widget.addEventListener('load', () => {
      if (show) window.Rebound.show(definition.id);
    });
    widget.addEventListener('error', () => window.parent.postMessage({ type: 'missing' }, parentOrigin));
    document.head.append(widget);
  });
  window.parent.postMessage({ type: 'ready' }, parentOrigin);
})();
