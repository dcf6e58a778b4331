// The shipped TypeScript declarations of the script-tag API (pkg/rebound-global.d.ts) and of the bundler entry
// (pkg/rebound.d.ts) compile against real use, and catch misuse: a wrong event name or a wrong detail field is a
// type error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PKG, folder } from './harness.mjs';

const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** Compiles `source` with the shipped declarations beside it, against the libraries `lib`. */
function compile(source, lib = 'es2017,dom') {
  const dir = folder({ 'use.ts': `import type {} from './rebound-global';\n${source}\n` });
  for (const file of ['rebound-global.d.ts', 'rebound.d.ts']) copyFileSync(join(PKG, file), join(dir.dir, file));
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--lib', lib, join(dir.dir, 'use.ts')], {
    encoding: 'utf8',
  });
  dir.cleanup();
  return run;
}

test('the window.Rebound declarations type real use and reject misuse', () => {
  const ok = compile(`
    window.ReboundConfig = { endpoint: '/api/feedback', position: 'top-left', consent: 'pending' };
    window.ReboundConfig = { endpoint: '/api/feedback', position: 'side-left', theme: 'auto', themeAttribute: 'class' };
    window.Rebound?.on('error', (d) => console.log(d.status, d.message.toUpperCase()))
      .on('submit', (p) => p.answers.map((a) => a.question))
      .open();
    document.addEventListener('rebound:delivered', (e) => e.detail.id.length);
    window.ReboundConfig = { endpoint: '/f', signals: ['errors', 'requests'], stripParams: ['ref'], expiryDays: 30 };
    window.Rebound?.identify({ id: 'u-42', email: 'ana@example.com', vip: true }).setContext({ cart_value: 129.99 });
    window.Rebound?.identify(null);
    window.ReboundConfig = {
      endpoint: '/f',
      surveys: [{ id: 'exit', trigger: { type: 'exit_intent', armAfter: 5 }, questions: [{ id: 'q', type: 'nps', text: 'How likely?' }] }],
    };
    window.Rebound?.track('checkout_failed', { step: 'payment' }).show('exit');
    window.Rebound?.on('shown', (d) => d.trigger === 'exit_intent' && d.survey.length);
    window.Rebound?.on('recovery', (d) => d.reference.length + d.motive.length + (d.contact?.email ?? '').length);
    window.ReboundConfig = { endpoint: '/f', recovery: false };
    window.ReboundConfig = { endpoint: '/f', recovery: { reply: 'We reply within a day.', remedy: { voucher: 'SORRY5' } } };
    document.addEventListener('rebound:submit', (e) => e.detail.recovery?.severity === 'urgent');
  `);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const wrongContext = compile(`window.Rebound?.setContext({ items: ['a'] });`);
  assert.notEqual(wrongContext.status, 0);
  const wrongEvent = compile(`window.Rebound?.on('opened', () => {});`);
  assert.notEqual(wrongEvent.status, 0);
  assert.match(wrongEvent.stdout, /opened/);
  const wrongField = compile(`window.Rebound?.on('open', (d) => d.trigger === 'exit');`);
  assert.notEqual(wrongField.status, 0);
  const wrongTrigger = compile(`window.ReboundConfig = { surveys: [{ id: 's', trigger: { type: 'leave' }, questions: [] }] };`);
  assert.notEqual(wrongTrigger.status, 0);
  assert.match(wrongTrigger.stdout, /leave/);
  const wrongTheme = compile(`window.ReboundConfig = { theme: 'night' };`);
  assert.notEqual(wrongTheme.status, 0);
  assert.match(wrongTheme.stdout, /night/);
});

test('the bundler entry declares start as it takes its arguments, resolving to the same API as the tag has', () => {
  const ok = compile(`
    import init, { start } from './rebound';
    async function boot() {
      await init();
      const widget = await start(null, { endpoint: '/api/feedback', site: 'shop' });
      widget?.open().on('delivered', (d) => d.id.length).track('checkout_failed');
      (await start(document.querySelector('script')))?.destroy();
    }
    boot();
  `);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const wrongOption = compile(`import { start } from './rebound'; start(null, { theme: 'night' });`);
  assert.notEqual(wrongOption.status, 0);
  assert.match(wrongOption.stdout, /night/);
});
