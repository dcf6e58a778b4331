// The demo checkout's own code, as a shop would have it: Pay now and Apply coupon call the shop's API (the
// collector's `serve --demo` pretend API), and a refused coupon marks its field invalid. Rebound only watches.
const client = sessionStorage.getItem('demo-client') || String(Math.random()).slice(2);
sessionStorage.setItem('demo-client', client);

const call = (path, body) =>
  fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client, ...body }),
  });

document.getElementById('pay').addEventListener('click', async () => {
  const message = document.getElementById('pay-message');
  message.textContent = 'Paying…';
  try {
    const response = await call('/demo/api/payment', {});
    message.textContent = response.ok ? 'Paid. Thank you!' : 'Your payment did not go through. Please try again.';
  } catch {
    message.textContent = 'Your payment did not go through. Please try again.';
  }
});

const field = document.getElementById('coupon-code');
field.addEventListener('input', () => field.removeAttribute('aria-invalid'));
document.getElementById('coupon').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = document.getElementById('coupon-message');
  const response = await call('/demo/api/coupon', { code: field.value });
  if (response.ok) {
    field.removeAttribute('aria-invalid');
    message.textContent = 'Coupon applied: 10% off.';
  } else {
    field.setAttribute('aria-invalid', 'false');
    field.setAttribute('aria-invalid', 'true');
    message.textContent = 'We do not know this code.';
  }
});
