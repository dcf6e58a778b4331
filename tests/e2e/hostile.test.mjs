// The widget on pages that are not kind to it: global CSS resets, framework custom properties, storage that
// throws, a phone, an accessibility audit, and a CSP that names `style-src-elem` instead of `style-src`. In each,
// the widget must look and work as on a plain page, and the page must not notice it beyond its button.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { answer, axe, html, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site({}, (s) => ({ b, pages, c } = s));

const TAG = '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="hostile"></script>';
const DESKTOP = { viewport: { width: 1280, height: 900 } };

/** Serves `head` and `body` as a page and opens it in a watched page; resolves once the button is there. */
async function open(name, head, body, { on = b, options = DESKTOP, before } = {}) {
  pages.write({ [name]: html(head, body) });
  const watched = await watchedPage(on, on === b ? options : undefined);
  if (before) await before(watched.page);
  await watched.page.goto(`${c.url}/${name}`);
  await watched.page.locator('rebound-widget .launcher').waitFor();
  return watched;
}

/** The complete response stored with `message` as its text answer, waiting briefly for it. */
async function stored(message) {
  for (let i = 0; i < 50; i++) {
    const found = (await c.responses()).find((r) => r.complete && r.answers.some((a) => a.value === message));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the collector never stored a complete response with the message ${JSON.stringify(message)}`);
}

/** Sends what was answered and waits for the thank-you that only a 2xx from the collector shows. */
async function send(page) {
  await page.locator('rebound-widget').getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you. Your feedback reached us').waitFor();
}

// ---- PNG: just enough of a decoder to compare two screenshots pixel by pixel and say where they differ ----

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) to {width, height, rgba}. */
function decodePng(buf) {
  assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG');
  let pos = 8;
  let width;
  let height;
  let channels;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString('latin1');
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      assert.ok(depth === 8 && (colour === 2 || colour === 6) && interlace === 0, `PNG kind ${depth}/${colour}/${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const up = prev[i];
      const ul = i >= channels ? prev[i - channels] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = up;
      else if (filter === 3) add = (a + up) >> 1;
      else if (filter === 4) {
        const p = a + up - ul;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - ul);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? up : ul;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 4; k++) out[(y * width + x) * 4 + k] = k < channels ? line[x * channels + k] : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

/** Asserts two PNG screenshots show the same pixels; on a difference, saves both and says how many and where. */
function assertSamePixels(plain, other, what) {
  if (plain.equals(other)) return;
  const a = decodePng(plain);
  const o = decodePng(other);
  assert.deepEqual([o.width, o.height], [a.width, a.height], `${what}: screenshot size`);
  let count = 0;
  const box = [Infinity, Infinity, -1, -1];
  for (let i = 0; i < a.rgba.length; i += 4) {
    if (a.rgba.readUInt32BE(i) !== o.rgba.readUInt32BE(i)) {
      count++;
      const x = (i / 4) % a.width;
      const y = Math.floor(i / 4 / a.width);
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  if (count === 0) return; // same pixels, encoded differently
  const base = join(tmpdir(), `rebound-${what.replace(/\W+/g, '-')}`);
  writeFileSync(`${base}-plain.png`, plain);
  writeFileSync(`${base}-other.png`, other);
  assert.fail(`${what}: ${count} of ${a.width * a.height} pixels differ, within x ${box[0]}..${box[2]}, y ${box[1]}..${box[3]}`
    + ` (saved as ${base}-plain.png and ${base}-other.png)`);
}

/** The element's box, grown to whole pixels, for `page.screenshot({ clip })`. */
async function pixelBox(locator) {
  const { x, y, width, height } = await locator.boundingBox();
  const left = Math.floor(x);
  const top = Math.floor(y);
  return { x: left, y: top, width: Math.ceil(x + width) - left, height: Math.ceil(y + height) - top };
}

/** A screenshot of `clip` once rendering has settled: two shots in a row agree (under load, a shot may catch a
 * frame the browser is still painting). */
async function shot(page, clip) {
  let last = await page.screenshot({ clip, type: 'png', animations: 'disabled', caret: 'hide' });
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(100);
    const next = await page.screenshot({ clip, type: 'png', animations: 'disabled', caret: 'hide' });
    if (next.equals(last)) return next;
    last = next;
  }
  return last;
}

/**
 * Every computed property of every element in the widget's shadow root (its frame, the button, the dialog), keyed
 * by its path, so that two pages can be compared property by property. Custom properties are left out: a page's
 * variables inherit into every shadow root; what matters is whether the widget uses them.
 */
const widgetStyles = (page) => page.evaluate(() => {
  const out = {};
  const root = document.querySelector('rebound-widget').shadowRoot;
  const walk = (el, path) => {
    const cs = getComputedStyle(el);
    const props = {};
    for (let i = 0; i < cs.length; i++) {
      if (!cs[i].startsWith('--')) props[cs[i]] = cs.getPropertyValue(cs[i]);
    }
    out[path] = props;
    [...el.children].forEach((child, i) => walk(child, `${path} > ${child.localName}${child.className ? `.${child.className}` : ''}:${i}`));
  };
  [...root.children].forEach((el) => walk(el, `${el.localName}.${el.className}`));
  return out;
});

/** The properties whose values differ between two `widgetStyles` results, as `path: property a -> b` lines. */
function styleDiff(a, o) {
  const lines = [];
  for (const path of new Set([...Object.keys(a), ...Object.keys(o)])) {
    for (const prop of new Set([...Object.keys(a[path] || {}), ...Object.keys(o[path] || {})])) {
      const va = a[path]?.[prop];
      const vo = o[path]?.[prop];
      if (va !== vo) lines.push(`${path}: ${prop} ${va} -> ${vo}`);
    }
  }
  return lines;
}

// ---- 1. Hostile global CSS ----

const HOSTILE_CSS = `
* { all: unset; }
button { display: none !important; }
html { font-size: 40px; }
div { position: absolute; }
/* Inherited properties sites do set on :root or body; each would otherwise reach into the widget's shadow root.
   The background stays white so that the button's and the dialog's rounded corners show the same behind them. */
:root { color-scheme: dark; background: #fff; }
body { color: #f0f; line-height: 3; letter-spacing: .2em; word-spacing: 1em; text-indent: 3em; text-transform: uppercase;
  font: italic small-caps 900 40px/3 serif; font-family: revert; font-feature-settings: "smcp"; font-variation-settings: "wght" 900;
  text-align: center; text-shadow: 2px 2px red; white-space: pre; word-break: break-all; hyphens: auto; tab-size: 20;
  -webkit-text-fill-color: lime; -webkit-text-stroke: 1px red; -webkit-font-smoothing: none; text-rendering: optimizeSpeed;
  font-synthesis: none; font-kerning: none; font-size-adjust: .2; text-wrap: balance; text-underline-offset: 5px;
  text-emphasis: dot; paint-order: stroke; quotes: "x" "y"; list-style: square; image-rendering: pixelated; cursor: wait; }
`;

test('global resets and inherited text styles in the page change nothing in the widget\'s looks or work', async () => {
  pages.write({ 'hostile.css': HOSTILE_CSS });
  const body = '<main><h1>Host page</h1><p id="host">The host page works.</p><button id="own">Own button</button><div>A div</div></main>';
  const plain = await open('plain.html', TAG, body);
  // The stylesheet is a file, not a <style>: `all: unset` makes <style> and <script> elements display their text.
  const hostile = await open('hostile.html', `<link rel="stylesheet" href="/hostile.css">${TAG}`, body);
  // The rules did reach the host page: its own button is gone and its root font is 40px.
  assert.equal(await hostile.page.locator('#own').isVisible(), false, 'the hostile stylesheet applies');
  assert.equal(await hostile.page.evaluate(() => getComputedStyle(document.documentElement).fontSize), '40px');

  const shots = {};
  for (const [name, { page }] of Object.entries({ plain, hostile })) {
    const w = page.locator('rebound-widget');
    const launcher = w.locator('.launcher');
    const launcherBox = await pixelBox(launcher);
    const buttonShot = await shot(page, launcherBox);
    await launcher.click();
    const panel = w.getByRole('dialog');
    await panel.waitFor();
    const panelBox = await pixelBox(panel);
    const openShot = await shot(page, panelBox);
    await answer(page, { rating: 3, message: 'Looks right', email: 'ana@example.com' });
    const filledBox = await pixelBox(panel);
    const filledShot = await shot(page, filledBox);
    shots[name] = { launcherBox, buttonShot, panelBox, openShot, filledBox, filledShot, styles: await widgetStyles(page) };
    await answer(page, { message: `Looks right on the ${name} page` });
    await send(page);
  }
  const [p, h] = [shots.plain, shots.hostile];
  assert.deepEqual(styleDiff(p.styles, h.styles), [], 'computed styles inside the widget');
  assert.deepEqual(h.launcherBox, p.launcherBox, 'the button is where it is on a plain page');
  assert.deepEqual(h.panelBox, p.panelBox, 'the dialog is where it is on a plain page');
  assert.deepEqual(h.filledBox, p.filledBox, 'the answered dialog is where it is on a plain page');
  assertSamePixels(p.buttonShot, h.buttonShot, 'hostile CSS button');
  assertSamePixels(p.openShot, h.openShot, 'hostile CSS open dialog');
  assertSamePixels(p.filledShot, h.filledShot, 'hostile CSS answered dialog');

  const r = await stored('Looks right on the hostile page');
  assert.deepEqual(r.answers, [
    { question: 'rating', type: 'rating', value: 3 },
    { question: 'message', type: 'text', value: 'Looks right on the hostile page' },
    { question: 'contact', type: 'contact', value: { email: 'ana@example.com', consent: true } },
  ]);
  for (const { page, seen } of [plain, hostile]) {
    assert.deepEqual(seen.errors(), []);
    assert.deepEqual(seen.pageErrors, []);
    await page.close();
  }
});

// ---- 2. Framework custom properties ----

// Names a Tailwind or shadcn/ui page defines, on :root and (as Tailwind's preflight does) on every element,
// which includes <rebound-widget> itself, so they inherit into its shadow root.
const FRAMEWORK_CSS = `
:root { --accent: red; --color-primary: #16a34a; --primary: 0 84% 60%; --background: #000; --foreground: #ff0;
  --border: #f0f; --radius: 0; --ring: #f00; --font-sans: "Courier New", monospace; --text: #0ff; --shadow: none; }
*, ::before, ::after { --tw-ring-color: rgb(239 68 68 / .5); --tw-ring-offset-width: 4px; --tw-shadow: 0 0 #0000; }
body { background: var(--background); color: var(--foreground); font-family: var(--font-sans); }
.btn { background: var(--color-primary); color: var(--accent); border: 2px solid var(--border);
  border-radius: var(--radius); box-shadow: 0 0 0 var(--tw-ring-offset-width) var(--tw-ring-color), var(--tw-shadow); }
p { color: hsl(var(--primary)); outline: 1px solid var(--ring); }
`;
const VARS = ['--accent', '--color-primary', '--primary', '--background', '--foreground', '--border', '--radius',
  '--ring', '--font-sans', '--text', '--shadow', '--tw-ring-color', '--tw-ring-offset-width', '--tw-shadow'];

test("the page's own custom properties neither reach the widget nor change because of it", async () => {
  pages.write({ 'framework.css': FRAMEWORK_CSS });
  const body = '<main><h1>Host page</h1><p id="host">The host page works.</p><button class="btn">Buy</button></main>';
  const snapshot = () => {
    const out = {};
    for (const el of document.querySelectorAll('*')) {
      if (el.localName === 'rebound-widget') continue;
      const cs = getComputedStyle(el);
      const props = {};
      for (let i = 0; i < cs.length; i++) props[cs[i]] = cs.getPropertyValue(cs[i]);
      for (const name of window.__vars) props[name] = cs.getPropertyValue(name);
      out[`${el.localName}#${el.id}.${el.className}`] = props;
    }
    return out;
  };
  // The widget takes the page's font family on purpose: the plain page uses the same one, without variables.
  const plain = await open('plain-vars.html', `<style>body { font-family: "Courier New", monospace; }</style>${TAG}`, body);
  const framework = await open('framework.html', `<link rel="stylesheet" href="/framework.css">${TAG}`, body, {
    before: (page) => page.addInitScript(`window.__vars = ${JSON.stringify(VARS)};
      window.__snapshot = ${snapshot};
      // The loader fetches the wasm at load and starts it later, so this listener runs before the widget exists.
      addEventListener('load', () => {
        window.__mountedAtLoad = !!document.querySelector('rebound-widget');
        window.__before = window.__snapshot();
      });`),
  });
  const { page } = framework;
  assert.equal(await page.evaluate(() => window.__mountedAtLoad), false, 'the snapshot was taken before the widget mounted');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.btn')).backgroundColor),
    'rgb(22, 163, 74)', 'the framework stylesheet applies');

  // Every state of the widget: the button, the open dialog, a validation error, a rating chosen, the thank-you.
  const w = page.locator('rebound-widget');
  const plainW = plain.page.locator('rebound-widget');
  const compare = async (state) => {
    const after = await page.evaluate(() => window.__snapshot());
    const before = await page.evaluate(() => window.__before);
    assert.deepEqual(styleDiff(before, after), [], `host page styles after the widget showed ${state}`);
    assert.deepEqual(styleDiff(await widgetStyles(plain.page), await widgetStyles(page)), [],
      `widget styles with the framework's variables, ${state}`);
  };
  await compare('its button');
  for (const target of [w, plainW]) await target.locator('.launcher').click();
  await compare('the open dialog');
  for (const target of [w, plainW]) await target.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Please choose a rating or write a few words.').waitFor();
  await compare('a validation error');
  for (const p of [page, plain.page]) await answer(p, { rating: 4, message: 'Variables stay put', email: 'ana@example.com' });
  await compare('an answered form');
  for (const p of [page, plain.page]) await send(p);
  await compare('the thank-you');

  // The widget's colours, spelled out, are its defaults.
  const colours = await page.evaluate(() => {
    const root = document.querySelector('rebound-widget').shadowRoot;
    const cs = (sel) => getComputedStyle(root.querySelector(sel));
    return {
      launcher: [cs('.launcher').backgroundColor, cs('.launcher').color],
      panel: [cs('.panel').backgroundColor, cs('.panel').color, cs('.panel').borderTopColor, cs('.panel').borderTopLeftRadius],
      font: cs('.panel').fontFamily,
    };
  });
  assert.deepEqual(colours, {
    launcher: ['rgb(29, 78, 216)', 'rgb(255, 255, 255)'],
    panel: ['rgb(255, 255, 255)', 'rgb(17, 24, 39)', 'rgb(209, 213, 219)', '12px'],
    // The page's own font family, which the widget takes on purpose (through inheritance, not the variable).
    font: '"Courier New", monospace',
  });
  assert.equal((await stored('Variables stay put')).site, 'hostile');
  // The widget's own theme hooks, set on its element, still apply.
  await page.evaluate(() => document.querySelector('rebound-widget').style.setProperty('--rebound-accent', 'rgb(1, 2, 3)'));
  assert.equal(await w.locator('.launcher').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(1, 2, 3)');
  for (const { page: p, seen } of [plain, framework]) {
    assert.deepEqual(seen.errors(), []);
    assert.deepEqual(seen.pageErrors, []);
    await p.close();
  }
});

// ---- 3. Storage that throws ----

test('localStorage that throws: the widget still works, says so on one console line at most, throws nothing', async () => {
  const variants = {
    'its methods throw': () => {
      const refuse = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
      Storage.prototype.setItem = refuse;
      Storage.prototype.getItem = refuse;
      Storage.prototype.removeItem = refuse;
    },
    'reading it throws (cookies blocked)': () => {
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
      });
    },
  };
  for (const [name, script] of Object.entries(variants)) {
    const message = `Storage: ${name}`;
    const { page, seen } = await open(`storage-${Object.keys(variants).indexOf(name)}.html`, TAG, undefined,
      { before: (p) => p.addInitScript(script) });
    await page.locator('rebound-widget .launcher').click();
    await answer(page, { rating: 3, message });
    await send(page);
    assert.equal((await stored(message)).answers[0].value, 3, name);
    const ours = seen.console.filter((m) => m.text.startsWith('rebound:'));
    assert.ok(ours.length <= 1, `${name}: ${JSON.stringify(ours)}`);
    assert.deepEqual(seen.console.filter((m) => m.type === 'error'), [], name);
    assert.deepEqual(seen.pageErrors, [], name);
    await page.close();
  }
});

// ---- 4. A phone ----

test('on a 375×667 touch screen the button and the dialog fit the viewport and work with taps', async () => {
  const context = await b.newContext({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true });
  try {
    const { page, seen } = await open('phone.html',
      `<meta name="viewport" content="width=device-width, initial-scale=1">${TAG}`,
      '<main><h1>Host page</h1><p id="host" style="height:3000px">The host page works.</p></main>',
      { on: context });
    const inside = async (locator, what) => {
      const { x, y, width, height } = await locator.boundingBox();
      const vp = await page.evaluate(() => ({ w: window.visualViewport.width, h: window.visualViewport.height }));
      assert.ok(x >= 0 && y >= 0 && x + width <= vp.w && y + height <= vp.h,
        `${what} at ${JSON.stringify({ x, y, width, height })} is inside ${vp.w}×${vp.h}`);
    };
    const w = page.locator('rebound-widget');
    const launcher = w.locator('.launcher');
    await launcher.waitFor();
    await inside(launcher, 'the button');
    await launcher.tap();
    const dialog = w.getByRole('dialog');
    await dialog.waitFor();
    await inside(dialog, 'the dialog');
    for (const el of await dialog.locator('input:visible, textarea:visible, button:visible').all()) {
      await inside(el, `the dialog's ${await el.evaluate((e) => e.outerHTML.slice(0, 60))}`);
    }
    await w.locator('input[name=rating][value="5"]').tap();
    assert.equal(await w.locator('input[name=rating][value="5"]').isChecked(), true, 'a tap chooses the rating');
    await w.locator('textarea[name=message]').tap();
    await page.keyboard.type('Typed on a phone');
    await w.locator('input[name=consent]').tap();
    await w.locator('input[name=email]').waitFor();
    await inside(dialog, 'the dialog with the email field');
    await w.locator('input[name=email]').tap();
    await page.keyboard.type('ana@example.com');
    await w.getByRole('button', { name: 'Send' }).tap();
    await page.getByText('Thank you. Your feedback reached us').waitFor();
    await inside(dialog, 'the thank-you');
    await w.getByRole('button', { name: 'Close' }).tap();
    await dialog.waitFor({ state: 'hidden' });

    const r = await stored('Typed on a phone');
    assert.deepEqual(r.answers, [
      { question: 'rating', type: 'rating', value: 5 },
      { question: 'message', type: 'text', value: 'Typed on a phone' },
      { question: 'contact', type: 'contact', value: { email: 'ana@example.com', consent: true } },
    ]);
    assert.deepEqual(r.client.viewport, { width: 375, height: 667 });
    assert.deepEqual(seen.errors(), []);
    assert.deepEqual(seen.pageErrors, []);
  } finally {
    await context.close();
  }
});

// ---- 5. Accessibility audit ----

test('axe-core finds nothing in any state: button, open dialog, validation error, thank-you', async () => {
  const { page, seen } = await open('axe.html', TAG);
  const scan = (state) => axe(page, state);
  const w = page.locator('rebound-widget');
  await scan('the button');
  await w.locator('.launcher').click();
  await w.getByRole('dialog').waitFor();
  await scan('the open dialog');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Please choose a rating or write a few words.').waitFor();
  await scan('a validation error');
  await answer(page, { rating: 5, message: 'Accessible' });
  await send(page);
  await scan('the thank-you');
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

// ---- 6. CSP with style-src-elem ----

test("a CSP with style-src-elem 'self' (and no style-src) sees no violation and the widget works", async () => {
  const { page, seen } = await open('csp-elem.html',
    `<meta http-equiv="Content-Security-Policy"
       content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src-elem 'self'; connect-src 'self'">${TAG}`);
  const w = page.locator('rebound-widget');
  await w.locator('.launcher').click();
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Please choose a rating or write a few words.').waitFor();
  await answer(page, { rating: 3, message: 'Under style-src-elem', email: 'ana@example.com' });
  await send(page);
  await w.getByRole('button', { name: 'Close' }).click();
  assert.equal((await stored('Under style-src-elem')).answers[0].value, 3);
  // The widget's look survives the policy: its stylesheet applied.
  assert.equal(await w.locator('.launcher').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(29, 78, 216)');
  assert.deepEqual(await seen.cspViolations(), []);
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test("the widget speaks in the page's font family, unless --rebound-font names another", async () => {
  const family = (page) => page.locator('rebound-widget .launcher').evaluate((el) => getComputedStyle(el).fontFamily);
  const own = await open('font-own.html', `<style>body { font-family: Georgia, serif; font-size: 40px; font-style: italic; }</style>${TAG}`);
  assert.equal(await family(own.page), 'Georgia, serif');
  const size = await own.page.locator('rebound-widget .launcher').evaluate((el) => getComputedStyle(el).fontSize);
  assert.equal(size, '15px', 'only the family is inherited, never the size');
  const set = await open('font-set.html',
    `<style>body { font-family: Georgia, serif; } rebound-widget { --rebound-font: "Courier New", monospace; }</style>${TAG}`);
  assert.equal(await family(set.page), '"Courier New", monospace');
  for (const { page } of [own, set]) await page.close();
});
