// From a visitor's unhappy answer to a support team that knows at once: the widget in Chromium posts, the collector
// turns it into a case with an explained priority, the HTML inbox shows it first, and a webhook receiver that fails
// twice still gets exactly one delivery id, signed per Standard Webhooks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { answer, browser, collector, folder, html, server } from './harness.mjs';

const SECRET = Buffer.from('e2e-webhook-secret').toString('base64');

let b;
let c;
let pages;
let receiver;

after(async () => {
  await b?.close();
  c?.stop();
  pages?.cleanup();
  await receiver?.stop();
});

/** Polls `check` until it returns something truthy, or fails after `ms`. */
async function eventually(check, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still not true after ${ms} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('an unhappy answer becomes a high-priority case, first in the inbox, and one signed webhook', async () => {
  let failures = 2;
  receiver = await server((_req, _body, res) => res.writeHead(failures-- > 0 ? 500 : 204).end());
  pages = folder({
    'checkout.html': html(
      '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e-shop"></script>',
    ),
    'rebound.toml': `
[[sites.e2e-shop.webhooks]]
name = "support"
url = "${receiver.url}/hook"
format = "json"
secret = "whsec_${SECRET}"
min_priority = "high"

[webhook_delivery]
retry_after = ["0s", "0s", "1s"]

[[inbox.rules]]
priority = "high"
when = ["rating <= 2", "wants_contact"]

[[inbox.rules]]
priority = "low"
when = ["rating >= 4"]
`,
  });
  c = await collector({ www: pages.dir, args: ['--config', `${pages.dir}/rebound.toml`] });
  b = await browser();
  const auth = { authorization: `Bearer ${c.token}` };

  // A happy visitor first, so the inbox has something to sort below the unhappy one.
  const page = await b.newPage();
  await page.goto(`${c.url}/checkout.html`);
  for (const visitor of [{ rating: 5, message: 'All good' }, { rating: 1, message: 'Charged twice!', email: 'ana@example.com' }]) {
    await page.locator('rebound-widget .launcher').click();
    await answer(page, visitor);
    await page.getByRole('button', { name: 'Send' }).click();
    if (visitor.rating === 1) {
      // The form's recovery: what would be fair (the email was given in the form, so no contact step).
      await page.getByRole('radio', { name: 'A refund' }).check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(/Thank you for telling us\. Your case number is RB-/).waitFor();
    } else {
      await page.getByText('Thank you. Your feedback reached us').waitFor();
    }
    await page.getByRole('button', { name: 'Close' }).last().click();
  }

  const cases = await eventually(async () => {
    const list = await (await fetch(`${c.url}/v1/cases`, { headers: auth })).json();
    return list.cases?.length === 2 && list.cases;
  });
  assert.equal(cases[0].priority, 'high');
  assert.match(cases[0].priority_reason, /rating 1/);
  assert.match(cases[0].priority_reason, /wants_contact/);
  assert.equal(cases[0].response.answers[1].value, 'Charged twice!');
  assert.equal(cases[1].priority, 'low');

  // The support team signs in with the admin token; the unhappy case is first in the queue.
  await page.goto(`${c.url}/inbox`);
  await page.getByLabel('Admin token').fill(c.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const rows = page.locator('ol.queue > li');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.first().locator('.badge').textContent(), 'high');
  assert.equal(await rows.last().locator('.badge').textContent(), 'low');

  // The receiver failed twice, then took it: three calls, one delivery id, a valid signature.
  const calls = await eventually(() => receiver.requests.length >= 3 && receiver.requests);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(receiver.requests.length, 3, 'no call after the one that succeeded');
  const ids = new Set(calls.map((r) => r.headers['webhook-id']));
  assert.equal(ids.size, 1);
  const last = calls[2];
  const signed = `${last.headers['webhook-id']}.${last.headers['webhook-timestamp']}.${last.body}`;
  const expected = createHmac('sha256', Buffer.from(SECRET, 'base64')).update(signed).digest('base64');
  assert.ok(last.headers['webhook-signature'].split(' ').includes(`v1,${expected}`), last.headers['webhook-signature']);
  assert.match(last.body, /Charged twice!|high/);
  // The case's recovery block travels with it, without the secret that would let the receiver ask its status.
  const { recovery } = JSON.parse(last.body).data.response;
  assert.match(recovery.reference, /^RB-[0-9A-Z]{4}$/);
  assert.equal(recovery.severity, 'high');
  assert.equal(recovery.secret, undefined);
  await page.close();
});
