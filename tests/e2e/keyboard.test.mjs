// An uninvited survey never takes the keyboard: a visitor types an address into the page while a survey falls due
// (by delay, by dwell, by scroll, by exit intent). Every character reaches the field, the page's form is submitted,
// the survey appears only in the pause after typing, focus stays where the visitor put it, and nothing is posted
// that the visitor did not answer. A clock that makes timers fire early does not lose the survey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullWidget, hold, html, site, watchedPage } from './harness.mjs';

const ADDRESS = 'Main Street 12, Apartment 4, Springfield';

/** A checkout page with an address form and one survey due by `trigger`. */
const checkout = (id, trigger, script = '') =>
  html(
    `<script>window.ReboundConfig = ${JSON.stringify({
      surveys: [{ id, trigger, questions: [{ id: 'q', type: 'nps', text: 'How likely are you to recommend us?' }] }],
    })};
     addEventListener('keydown', () => (window.lastKey = Date.now()), true);
     document.addEventListener('rebound:shown', () => (window.shownAt = Date.now()));
     document.addEventListener('rebound:ready', () => (window.ready = true));
     ${script}</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
    `<main><form id="address" onsubmit="event.preventDefault(); window.submitted = this.street.value">
       <label>Street <input name="street" autocomplete="off"></label> <button>Continue</button></form>
       <div style="height:3000px"></div></main>`,
  );

const CASES = {
  delay: { trigger: { type: 'delay', seconds: 1 } },
  dwell: { trigger: { type: 'dwell', seconds: 1 } },
  // The page scrolls itself while the visitor types, as a page that reveals more content would.
  scroll: { trigger: { type: 'scroll', percent: 10 }, script: 'setTimeout(() => scrollTo(0, 1500), 1500);' },
  exit_intent: { trigger: { type: 'exit_intent', armAfter: 1 } },
  // The same, with the survey code arriving only in the middle of the typing, after the page was scrolled down and
  // back up to the field: the survey hears both from the loader. (The scroll comes before the typing here: a
  // scroll and a key's scroll back within one frame make one scroll event, which nobody sees deep.)
  scroll_late: {
    trigger: { type: 'scroll', percent: 10 },
    script: `addEventListener('scroll', () => (window.deepest = Math.max(window.deepest || 0, scrollY)));`,
    late: true,
    title: 'scroll, the survey code arriving mid-typing',
  },
};

// A wall clock that runs 1% slow against the timers, as one being slewed does: by `Date.now`, every timer fires a
// little before the moment it was set for.
const SLOW_CLOCK = `{ const real = Date.now, t0 = real(), p0 = performance.now();
  Date.now = () => Math.floor(t0 + (performance.now() - p0) * 0.99); }`;

let b;
let c;
site(
  {
    ...Object.fromEntries(Object.entries(CASES).map(([name, { trigger, script }]) => [`${name}.html`, checkout(name, trigger, script)])),
    'slow.html': checkout('slow', { type: 'delay', seconds: 1 }, SLOW_CLOCK),
  },
  (s) => ({ b, c } = s),
);

for (const [name, { late, title }] of Object.entries(CASES)) {
  test(`typing into the page while a survey falls due by ${title ?? name}: every key is the page's, nothing is posted`, async () => {
    const context = await b.newContext();
    const { page, seen } = await watchedPage(context);
    const full = late && (await hold(page, '**/rebound_full_bg.wasm'));
    await page.goto(`${c.url}/${name}.html`);
    await page.waitForFunction(() => window.ready);
    // The surveys run before the typing begins (their triggers count from then; exit intent arms after a second),
    // but in the late case, where the survey code comes in the middle of it.
    if (!late) await fullWidget(page);
    if (late) {
      await page.evaluate(() => scrollTo(0, 1500));
      await page.waitForFunction(() => window.deepest >= 1500);
    }
    await page.mouse.move(400, 300);
    await page.locator('input[name=street]').click();
    const half = ADDRESS.length / 2;
    await page.keyboard.type(ADDRESS.slice(0, half), { delay: 100 });
    if (name === 'exit_intent') {
      // Heading for the tabs in the middle of typing: the survey is due now, and waits for the pause.
      await page.mouse.move(400, 2, { steps: 4 });
      await page.mouse.move(400, -20, { steps: 2 });
    }
    if (late) {
      assert.ok(await page.evaluate(() => scrollY < 1500), 'the page was scrolled back up to the field');
      full.release();
    }
    await page.keyboard.type(ADDRESS.slice(half), { delay: 100 });
    await page.keyboard.press('Enter');

    assert.equal(await page.locator('input[name=street]').inputValue(), ADDRESS, 'the field got every character');
    assert.equal(await page.evaluate(() => window.submitted), ADDRESS, "the page's form was submitted");
    const card = page.locator('rebound-widget .card');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    const { shownAt, lastKey } = await page.evaluate(() => ({ shownAt: window.shownAt, lastKey: window.lastKey }));
    assert.ok(shownAt - lastKey >= 1900, `the survey waited for the pause after typing: ${shownAt - lastKey} ms`);
    assert.equal(
      await page.evaluate(() => document.activeElement && document.activeElement.name),
      'street',
      'focus stayed in the field',
    );
    // Announced to screen readers, without taking focus.
    const news = await page.locator('rebound-widget .sr').textContent();
    assert.match(news, /A short survey appeared .*How likely are you to recommend us\?/);
    await page.waitForTimeout(600);
    assert.deepEqual(
      (await c.responses()).filter((r) => r.kind === 'survey' && r.survey.id === name),
      [],
      'nothing was posted for a survey the visitor did not answer',
    );
    assert.deepEqual(seen.pageErrors, []);
    await context.close();
  });
}

test('a survey card is not a modal: Tab leaves it, and reaching it by keyboard answers it', async () => {
  const context = await b.newContext();
  const { page, seen } = await watchedPage(context);
  await page.goto(`${c.url}/delay.html`);
  const card = page.locator('rebound-widget .card');
  await card.waitFor({ state: 'visible' });
  // A person takes longer than this to reach the card; keys sooner than ANSWER_GUARD after it appeared are not
  // taken as answers (src/survey/hands.rs).
  await page.waitForTimeout(600);
  await page.locator('input[name=street]').click();
  // From the page's last control, Tab reaches the widget: the button, then the card's controls.
  const inCard = () => page.evaluate(() => {
    const root = document.querySelector('rebound-widget').shadowRoot;
    const active = root.activeElement;
    return !!active && !!active.closest('.card');
  });
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await inCard();
  }
  assert.ok(reached, 'Tab reaches the card');
  // Through the card and out of it: the card keeps no one in.
  let left = false;
  for (let i = 0; i < 20 && !left; i++) {
    await page.keyboard.press('Tab');
    left = !(await inCard());
  }
  assert.ok(left, 'Tab leaves the card');
  // Back in by Shift+Tab, then a real answer with the keyboard is recorded.
  for (let i = 0; i < 20 && !(await inCard()); i++) await page.keyboard.press('Shift+Tab');
  await card.getByRole('radio', { name: '9', exact: true }).focus();
  await page.keyboard.press('Space');
  await card.getByRole('button', { name: 'Send' }).focus();
  await page.keyboard.press('Enter');
  await card.getByText('Thank you').waitFor();
  for (let i = 0; i < 50; i++) {
    const found = (await c.responses()).find((r) => r.kind === 'survey' && r.survey.id === 'delay' && r.complete);
    if (found) return assert.equal(found.answers[0].value, 9) ?? (await context.close());
    await page.waitForTimeout(100);
  }
  assert.fail('the keyboard answer was not stored');
});

test('on a clock that runs slow, so that timers fire early by it, a due survey still shows: untouched, and after typing', async () => {
  for (const typing of [false, true]) {
    const context = await b.newContext();
    const { page, seen } = await watchedPage(context);
    await page.goto(`${c.url}/slow.html`);
    await page.waitForFunction(() => window.ready);
    if (typing) {
      // The delay falls due while the visitor types; the survey waits for the pause.
      await page.locator('input[name=street]').click();
      await page.keyboard.type(ADDRESS.slice(0, 15), { delay: 100 });
    }
    await page.locator('rebound-widget .card').waitFor({ state: 'visible', timeout: 8000 });
    if (typing) {
      const { shownAt, lastKey } = await page.evaluate(() => ({ shownAt: window.shownAt, lastKey: window.lastKey }));
      assert.ok(shownAt - lastKey >= 1900, `the survey waited for the pause after typing: ${shownAt - lastKey} ms`);
    }
    assert.deepEqual(seen.pageErrors, []);
    await context.close();
  }
});
