// Looks and accessibility: the dark theme (from the config, the visitor's system setting, or the host page's own
// theme attribute, followed live), the side tab, the bottom sheet on phones, Tab kept inside the open dialog without
// fighting the page, reduced motion, and text at twice the browser's default size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { answer, html, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site({}, (s) => ({ b, pages, c } = s));

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(31, 41, 55)';
const THANKS = 'Thank you. Your feedback reached us';

/** The script tag with extra `data-*` attributes. */
const tag = (attributes = '') =>
  `<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="looks" ${attributes}></script>`;

/**
 * Serves a page (`head` markup, optional `body`, `htmlAttributes` on its <html>) and opens it in a watched page of
 * `context` (default: a new page of the shared browser with `options`); resolves once the button is there.
 */
async function load(name, head, { body, htmlAttributes = '', context, options = DESKTOP, before } = {}) {
  pages.write({ [name]: html(head, body).replace('<html lang="en">', `<html lang="en" ${htmlAttributes}>`) });
  const watched = await watchedPage(context || b, context ? undefined : options);
  if (before) await before(watched.page);
  await watched.page.goto(`${c.url}/${name}`);
  await watched.page.locator('rebound-widget .launcher').waitFor();
  // The dialog arrives when the visitor shows intent; these tests read its colours and sizes before opening it,
  // so they show intent (without a real hover, which would restyle the button) and wait for it.
  // By plain evaluation: Playwright's locator actions and waits add a MutationObserver to the page that one
  // test counts.
  const root = () => document.querySelector('rebound-widget').shadowRoot;
  await watched.page.evaluate(`(${root})().querySelector('.launcher').dispatchEvent(new PointerEvent('pointerenter'))`);
  for (let i = 0; i < 100 && !(await watched.page.evaluate(`!!(${root})().querySelector('.panel')`)); i++) {
    await watched.page.waitForTimeout(20);
  }
  return watched;
}

/** Computed colours of the dialog and the button, shown or not. */
const colours = (page) => page.evaluate(() => {
  const root = document.querySelector('rebound-widget').shadowRoot;
  const cs = (sel) => getComputedStyle(root.querySelector(sel));
  return { panel: cs('.panel').backgroundColor, text: cs('.panel').color, launcher: cs('.launcher').backgroundColor };
});

/** Waits until the dialog's background is `expected`: the theme follows changes asynchronously. */
async function backgroundBecomes(page, expected, why) {
  for (let i = 0; i < 50; i++) {
    if ((await colours(page)).panel === expected) return;
    await page.waitForTimeout(20);
  }
  assert.equal((await colours(page)).panel, expected, why);
}

/** The complete response stored with `message`, waiting briefly for it. */
async function stored(message) {
  for (let i = 0; i < 50; i++) {
    const found = (await c.responses()).find((r) => r.complete && r.answers.some((a) => a.value === message));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return assert.fail(`the collector never stored a complete response with the message ${JSON.stringify(message)}`);
}

/** axe-core's violations on the whole page, the widget's shadow root included. */
async function axeViolations(page, state) {
  const { violations, inShadow } = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return {
      violations: result.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => [n.target, n.failureSummary]) })),
      inShadow: result.passes.flatMap((r) => r.nodes).filter((n) => Array.isArray(n.target[0])).length,
    };
  });
  assert.ok(inShadow > 0, `axe looked inside the widget with ${state}`);
  assert.deepEqual(violations, [], `axe violations with ${state}:\n${JSON.stringify(violations, null, 2)}`);
}

/** Asserts the page threw nothing and logged no error but those `expected` matches. */
function clean(seen, expected = /^$/) {
  assert.deepEqual(seen.errors().filter((e) => !expected.test(e)), []);
  assert.deepEqual(seen.pageErrors, []);
}

test('dark theme from the config: its own colours, and axe finds nothing in any state', async () => {
  const light = await load('light.html', tag());
  const { page, seen } = await load('dark.html', tag('data-theme="dark"'));
  assert.deepEqual(await colours(light.page), { panel: LIGHT_BG, text: 'rgb(17, 24, 39)', launcher: 'rgb(29, 78, 216)' });
  assert.deepEqual(await colours(page), { panel: DARK_BG, text: 'rgb(243, 244, 246)', launcher: 'rgb(147, 197, 253)' });
  await light.page.close();

  await page.addScriptTag({ path: AXE });
  const w = page.locator('rebound-widget');
  await axeViolations(page, 'the dark button');
  await w.locator('.launcher').click();
  await w.getByRole('dialog').waitFor();
  await axeViolations(page, 'the dark dialog');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Please choose a rating or write a few words.').waitFor();
  await axeViolations(page, 'a validation error in dark');
  // The endpoint refuses the answer for good: the visitor is told, and offered a copy of their words.
  await page.route('**/v1/responses', (route) => route.fulfill({
    status: 422, contentType: 'application/json', body: '{"message":"no"}',
  }));
  await answer(page, { rating: 3, message: 'Dark and readable' });
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByRole('button', { name: 'Copy my message' }).waitFor();
  await axeViolations(page, 'a refused answer in dark');
  await page.unroute('**/v1/responses');
  await w.getByRole('button', { name: 'Send' }).click();
  await page.getByText(THANKS).waitFor();
  await axeViolations(page, 'the dark thank-you');
  assert.equal((await stored('Dark and readable')).answers[0].value, 3);
  assert.equal((await colours(page)).panel, DARK_BG);
  clean(seen, /status of 422/);
  await page.close();
});

test("theme auto follows the visitor's system setting live; the default stays light on a dark system", async () => {
  const context = await b.newContext({ ...DESKTOP, colorScheme: 'dark' });
  try {
    const auto = await load('auto.html', tag('data-theme="auto"'), { context });
    const plain = await load('default.html', tag(), { context });
    assert.equal((await colours(auto.page)).panel, DARK_BG, 'auto on a dark system');
    assert.equal((await colours(plain.page)).panel, LIGHT_BG, 'the default on a dark system');
    await auto.page.emulateMedia({ colorScheme: 'light' });
    await backgroundBecomes(auto.page, LIGHT_BG, 'auto after the system turned light');
    await auto.page.emulateMedia({ colorScheme: 'dark' });
    await backgroundBecomes(auto.page, DARK_BG, 'auto after the system turned dark again');
    clean(auto.seen);
    clean(plain.seen);
  } finally {
    await context.close();
  }
});

test("themeAttribute follows the page's own toggle live, and its observer ends with destroy()", async () => {
  // Counts what the page's MutationObservers observe and disconnect, to see the widget's own come and go.
  const spy = () => {
    window.__observed = [];
    window.__disconnected = 0;
    const { observe, disconnect } = MutationObserver.prototype;
    MutationObserver.prototype.observe = function (target, options) {
      window.__observed.push([target === document.documentElement, options.attributeFilter]);
      return observe.call(this, target, options);
    };
    MutationObserver.prototype.disconnect = function () {
      window.__disconnected++;
      return disconnect.call(this);
    };
  };
  const { page, seen } = await load('toggle.html', tag('data-theme="dark" data-theme-attribute="data-theme"'), {
    htmlAttributes: 'data-theme="light"',
    before: (p) => p.addInitScript(spy),
  });
  assert.equal((await colours(page)).panel, LIGHT_BG, "the page's light wins over the option's dark");
  assert.deepEqual(await page.evaluate(() => window.__observed), [[true, ['data-theme']]]);
  const set = (value) => page.evaluate((v) => {
    if (v === null) document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', v);
  }, value);
  await set('dark');
  await backgroundBecomes(page, DARK_BG, 'after the page switched to dark');
  await set('light');
  await backgroundBecomes(page, LIGHT_BG, 'after the page switched back to light');
  await set(null);
  await backgroundBecomes(page, DARK_BG, 'without the attribute the option (dark) applies');
  await set('light');
  await backgroundBecomes(page, LIGHT_BG, 'light again');
  // Other attributes of <html> are none of the widget's business.
  await page.evaluate(() => document.documentElement.setAttribute('class', 'dark'));
  await page.waitForTimeout(100);
  assert.equal((await colours(page)).panel, LIGHT_BG, 'a class the widget was not told about');

  assert.equal(await page.evaluate(() => window.__disconnected), 0);
  await page.evaluate(() => window.Rebound.destroy());
  assert.equal(await page.evaluate(() => window.__disconnected), 1, 'destroy() disconnected the observer');
  assert.equal(await page.locator('rebound-widget').count(), 0);
  await set('dark');
  await page.waitForTimeout(50);
  clean(seen);
  await page.close();

  // A class list works too, as Tailwind's dark mode writes it.
  const classes = await load('classes.html', tag('data-theme-attribute="class"'), { htmlAttributes: 'class="js dark"' });
  assert.equal((await colours(classes.page)).panel, DARK_BG);
  clean(classes.seen);
  await classes.page.close();
});

test('the side tabs sit in the middle of their edge and open the dialog beside them, shifting nothing', async () => {
  const body = '<main><h1>Host page</h1><p id="host">The host page works.</p></main>';
  for (const side of ['right', 'left']) {
    const { page, seen } = await load(`side-${side}.html`, tag(`data-position="side-${side}"`), {
      body,
      before: (p) => p.addInitScript(() => addEventListener('load', () => {
        // The loader mounts the widget after load, once its wasm is fetched: this is the page without it.
        window.__layout = JSON.stringify(document.getElementById('host').getBoundingClientRect());
      })),
    });
    const w = page.locator('rebound-widget');
    const tab = await w.locator('.launcher').boundingBox();
    assert.ok(tab.height > tab.width, `the ${side} tab is vertical: ${JSON.stringify(tab)}`);
    assert.ok(tab.width >= 44 && tab.height >= 44, 'a large enough target');
    const edge = side === 'right' ? 1280 - (tab.x + tab.width) : tab.x;
    assert.ok(Math.abs(edge) < 0.5, `the ${side} tab touches its edge (${edge}px off)`);
    assert.ok(Math.abs(tab.y + tab.height / 2 - 450) < 0.5, `the ${side} tab is centred vertically`);
    assert.equal(await w.locator('.launcher').evaluate((el) => getComputedStyle(el).writingMode), 'vertical-rl');

    await w.locator('.launcher').click();
    const dialog = await w.getByRole('dialog').boundingBox();
    assert.ok(dialog.x >= 0 && dialog.y >= 0 && dialog.x + dialog.width <= 1280 && dialog.y + dialog.height <= 900,
      `the dialog is in view: ${JSON.stringify(dialog)}`);
    const gap = side === 'right' ? tab.x - (dialog.x + dialog.width) : dialog.x - (tab.x + tab.width);
    assert.ok(gap >= 8 && gap <= 24, `the dialog opens beside the ${side} tab (${gap}px apart)`);
    // The tab is still there to close it, and the page did not move.
    await w.locator('.launcher').click();
    await w.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => JSON.stringify(document.getElementById('host').getBoundingClientRect())),
      await page.evaluate(() => window.__layout));
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]),
      [1280, 1280]);
    clean(seen);
    await page.close();
  }
});

test('on a 390×844 touch screen the dialog is a bottom sheet across the width, every target 44px and in view', async () => {
  const context = await b.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  try {
    const { page, seen } = await load('sheet.html',
      `<meta name="viewport" content="width=device-width, initial-scale=1">${tag()}`, { context });
    const w = page.locator('rebound-widget');
    await w.locator('.launcher').tap();
    const dialog = w.getByRole('dialog');
    await dialog.waitFor();
    const sheet = async (state) => {
      const box = await dialog.boundingBox();
      assert.equal(box.x, 0, `${state}: the sheet starts at the left edge`);
      assert.equal(box.width, 390, `${state}: the sheet spans the width`);
      assert.ok(Math.abs(box.y + box.height - 844) < 0.5, `${state}: the sheet sits on the bottom: ${JSON.stringify(box)}`);
      assert.ok(box.height <= 0.85 * 844 + 0.5, `${state}: at most 85% of the height`);
      // What can be tapped, with the label that makes a small checkbox a large target.
      for (const el of await dialog.locator('input:visible, textarea:visible, button:visible').all()) {
        const what = await el.evaluate((e) => e.getAttribute('aria-label') || e.name || e.textContent);
        const target = await el.evaluate((e) => {
          const r = (e.type === 'checkbox' ? e.closest('label') : e).getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        });
        assert.ok(target.width >= 44 && target.height >= 44, `${state}: ${what} is ${target.width}×${target.height}`);
        assert.ok(target.x >= 0 && target.y >= 0 && target.x + target.width <= 390 && target.y + target.height <= 844,
          `${state}: ${what} is on screen at ${JSON.stringify(target)}`);
      }
    };
    await sheet('the open sheet');
    await w.locator('input[name=rating][value="4"]').tap();
    await w.locator('textarea[name=message]').tap();
    await page.keyboard.type('A sheet on a phone');
    await w.locator('input[name=consent]').tap();
    await w.locator('input[name=email]').tap();
    await page.keyboard.type('ana@example.com');
    await sheet('the sheet with the email field');
    await w.getByRole('button', { name: 'Send' }).tap();
    await page.getByText(THANKS).waitFor();
    await sheet('the thank-you');
    await w.getByRole('button', { name: 'Close' }).tap();
    await dialog.waitFor({ state: 'hidden' });
    const r = await stored('A sheet on a phone');
    assert.deepEqual(r.answers.map((a) => a.value), [4, 'A sheet on a phone', { email: 'ana@example.com', consent: true }]);
    assert.deepEqual(r.client.viewport, { width: 390, height: 844 });
    clean(seen);
  } finally {
    await context.close();
  }
});

test('Tab stays inside the open dialog, lands on the chosen star, gives focus back, and never fights the page', async () => {
  const body = '<main><h1>Host page</h1><input id="before" aria-label="Search"><button id="after">Buy</button></main>';
  const { page, seen } = await load('keys.html', tag(), { body });
  const w = page.locator('rebound-widget');
  /** What has focus: a control of the dialog by its name, or a page element by its id. */
  const focused = () => page.evaluate(() => {
    const inner = document.querySelector('rebound-widget')?.shadowRoot?.activeElement;
    if (inner) return inner.getAttribute('aria-label') || inner.name || inner.textContent.trim();
    return `#${document.activeElement.id}`;
  });
  const press = async (key, expected) => {
    await page.keyboard.press(key);
    assert.equal(await focused(), expected, `after ${key}`);
  };

  await page.locator('#before').focus();
  await page.evaluate(() => window.Rebound.open());
  await w.getByRole('dialog').waitFor();
  assert.equal(await focused(), '1 of 5 stars: very bad', 'opening moves focus to the first control');
  await press('Tab', 'message');
  await press('Tab', 'consent');
  await press('Tab', 'Close');
  await press('Tab', 'Send');
  await press('Tab', '1 of 5 stars: very bad');
  await press('Shift+Tab', 'Send');
  // With a star chosen, Tab into the stars lands on it, and Shift+Tab leaves them from any star.
  await page.keyboard.press('Tab');
  await press('ArrowRight', '2 of 5 stars: bad');
  await press('ArrowRight', '3 of 5 stars: okay');
  await press('Shift+Tab', 'Send');
  await press('Tab', '3 of 5 stars: okay');
  // The email field, shown once the box is ticked, is inside the cycle too.
  await w.locator('input[name=consent]').check();
  await w.locator('input[name=email]').fill('ana@example.com');
  await press('Shift+Tab', 'consent');
  await press('Tab', 'email');
  await press('Escape', '#before');
  await w.getByRole('dialog').waitFor({ state: 'hidden' });

  // The page takes focus away while the dialog is open: the widget lets it go, and Tab moves on in the page.
  await page.evaluate(() => window.Rebound.open());
  await w.getByRole('dialog').waitFor();
  await page.evaluate(() => {
    window.__focusins = 0;
    document.addEventListener('focusin', () => window.__focusins++);
    document.getElementById('before').focus();
  });
  await page.waitForTimeout(200);
  assert.equal(await focused(), '#before', 'the page keeps the focus it took');
  await press('Tab', '#after');
  assert.equal(await page.evaluate(() => window.__focusins), 2, 'focus moved twice, both times by the page');
  assert.equal(await w.getByRole('dialog').isVisible(), true, 'the dialog stays open');

  // The thank-you: its text has focus; Tab and Shift+Tab both stay on its Close button.
  await w.locator('textarea[name=message]').fill('Keyboard only');
  await w.getByRole('button', { name: 'Send' }).click();
  await page.getByText(THANKS).waitFor();
  assert.match(await focused(), /^Thank you/);
  await press('Shift+Tab', 'Close');
  await press('Tab', 'Close');
  await press('Shift+Tab', 'Close');
  await press('Enter', '#before');
  assert.equal((await stored('Keyboard only')).answers.at(-1).value.email, 'ana@example.com');
  clean(seen);
  await page.close();
});

/** Every element of the widget whose computed transition or animation lasts longer than nothing. */
const moving = (page) => page.evaluate(() => {
  const found = [];
  const walk = (el) => {
    const cs = getComputedStyle(el);
    const long = (list) => list.split(',').some((d) => parseFloat(d) > 0);
    if (long(cs.transitionDuration) || long(cs.animationDuration)) {
      found.push(`${el.localName}.${el.className}: ${cs.transitionDuration} / ${cs.animationDuration}`);
    }
    [...el.children].forEach(walk);
  };
  [...document.querySelector('rebound-widget').shadowRoot.children].forEach(walk);
  return found;
});

/** Adds a stylesheet to the widget's shadow root, as a later version of the widget might animate itself. */
const animate = (page) => page.evaluate(() => {
  const root = document.querySelector('rebound-widget').shadowRoot;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('@keyframes in { from { opacity: 0 } } .panel, .launcher { transition: opacity .3s; animation: in .3s; }');
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
});

test('prefers-reduced-motion: reduce stops every transition and animation in the widget', async () => {
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const context = await b.newContext({ ...DESKTOP, reducedMotion });
    try {
      const { page, seen } = await load(`motion-${reducedMotion}.html`, tag(), { context });
      const w = page.locator('rebound-widget');
      assert.deepEqual(await moving(page), [], `${reducedMotion}: the widget does not animate`);
      await animate(page);
      await w.locator('.launcher').click();
      await w.getByRole('dialog').waitFor();
      const found = await moving(page);
      if (reducedMotion === 'reduce') assert.deepEqual(found, [], 'nothing moves for a visitor who asked for less motion');
      else assert.equal(found.length, 2, `without the request the added motion shows: ${found}`);
      clean(seen);
    } finally {
      await context.close();
    }
  }
});

test("text follows the browser's font size to 200% without clipping, and ignores the page's root font size", async () => {
  const head = `<style>html { font-size: 10px }</style>${tag('data-position="side-right"')}`;
  const fontSize = (p) => p.locator('rebound-widget .panel').evaluate((el) => getComputedStyle(el).fontSize);
  const plain = await load('text.html', head);
  assert.equal(await fontSize(plain.page), '15px', "the page's root font size does not shrink the widget");
  await plain.page.close();
  // The visitor's own setting: Chromium's default font size (chrome://settings/fonts), set before the page loads
  // as a visitor's setting is.
  const { page, seen } = await load('text-200.html', head, {
    before: async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
    },
  });
  assert.equal(await fontSize(page), '30px', 'twice the default font size, twice the text');
  const w = page.locator('rebound-widget');

  /** Elements whose content is cut: wider than their box, or (outside the dialog, which scrolls) taller. */
  const clipped = () => page.evaluate(() => {
    const root = document.querySelector('rebound-widget').shadowRoot;
    const panel = root.querySelector('.panel');
    const out = [];
    const view = { w: innerWidth, h: innerHeight };
    for (const el of root.querySelectorAll('*')) {
      if (!el.getClientRects().length || el.localName === 'input') continue;
      const r = el.getBoundingClientRect();
      const name = `${el.localName}.${el.className} "${el.textContent.slice(0, 20)}"`;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push(`${name} overflows sideways`);
      if (el !== panel && el.localName !== 'textarea' && el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1) {
        out.push(`${name} overflows downwards`);
      }
      const p = panel.getBoundingClientRect();
      if (panel.contains(el) && el !== panel && (r.left < p.left - 0.5 || r.right > p.right + 0.5)) {
        out.push(`${name} sticks out of the dialog`);
      }
      if (r.left < -0.5 || r.top < -0.5 || r.right > view.w + 0.5 || r.bottom > view.h + 0.5) {
        if (!panel.contains(el) || el === panel) out.push(`${name} is off screen`);
      }
    }
    return out;
  });
  await w.locator('.launcher').click();
  await w.getByRole('dialog').waitFor();
  await answer(page, { rating: 5, message: 'Large text', email: 'ana@example.com' });
  await w.getByRole('button', { name: 'Send' }).click();
  await page.getByText(THANKS).waitFor();
  assert.deepEqual(await clipped(), [], 'at 200% text, the thank-you');
  await w.getByRole('button', { name: 'Close' }).click();
  await w.locator('.launcher').click();
  await w.locator('input[name=consent]').check();
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Please choose a rating').waitFor();
  assert.deepEqual(await clipped(), [], 'at 200% text, the dialog with its email field and an error');
  // The dialog scrolls when it is taller than the screen, so its last control can still be reached.
  const send = w.getByRole('button', { name: 'Send' });
  await send.scrollIntoViewIfNeeded();
  const box = await send.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 900, `Send can be reached: ${JSON.stringify(box)}`);
  assert.equal((await stored('Large text')).answers[0].value, 5);
  clean(seen);
  await page.close();
});
