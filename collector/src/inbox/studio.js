// The survey editor's script: checks the definition while the team types, with the collector's own checker
// (POST /inbox/studio/check, the widget's reader), and runs the preview frame. Plain script, no framework; the
// editor works without it, showing mistakes on save.
(() => {
  'use strict';
  const text = document.getElementById('definition');
  if (!text) return;
  const csrf = document.querySelector('#editor input[name=csrf]').value;
  const problems = document.getElementById('problems');
  const studio = document.getElementById('studio');
  const frame = document.getElementById('preview');
  const state = document.getElementById('preview-state');
  const locale = studio.querySelector('select[name=locale]');
  const theme = studio.querySelector('select[name=theme]');
  const fire = document.getElementById('fire');

  // The last definition the checker accepted: what the preview shows.
  let draft = null;
  try {
    if (text.getAttribute('aria-invalid') !== 'true') draft = JSON.parse(text.value);
  } catch {
    draft = null;
  }
  // Once the team fired the trigger, every new preview shows the survey at once.
  let fired = false;

  const say = (words) => {
    state.textContent = words;
  };

  // The same list the server renders on save.
  const render = (errors) => {
    text.setAttribute('aria-invalid', String(errors.length > 0));
    problems.replaceChildren();
    if (!errors.length) return;
    const title = document.createElement('p');
    title.className = 'error-title';
    title.textContent = `${errors.length} mistake(s): the widget would leave this survey out.`;
    const list = document.createElement('ul');
    list.className = 'problems';
    for (const error of errors) {
      const item = document.createElement('li');
      const field = document.createElement('code');
      field.className = 'field';
      field.textContent = error.field;
      const message = document.createElement('span');
      message.className = 'message';
      message.textContent = error.message;
      item.append(field);
      if (error.line) {
        const line = document.createElement('a');
        line.className = 'line';
        line.href = '#definition';
        line.dataset.line = error.line;
        line.textContent = `line ${error.line}`;
        item.append(' (', line, ')');
      }
      item.append(' ', message);
      list.append(item);
    }
    problems.append(title, list);
  };

  // A fresh frame: nothing of the last preview (answers, closed cards) carries over.
  const reload = () => {
    const query = new URLSearchParams({ locale: locale.value, theme: theme.value });
    frame.src = `${frame.dataset.src}?${query}`;
  };

  let sequence = 0;
  const check = async () => {
    const mine = ++sequence;
    let reply;
    try {
      const response = await fetch(text.dataset.check, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ id: text.dataset.survey, definition: text.value }),
      });
      if (response.status === 401) throw new Error('Signed out: reload the page to check again.');
      if (!response.ok) throw new Error(`The check answered ${response.status}.`);
      reply = await response.json();
    } catch (error) {
      if (mine === sequence) say(error.message);
      return;
    }
    // A newer check is on its way: its answer counts.
    if (mine !== sequence) return;
    render(reply.errors);
    if (reply.errors.length) {
      say('The preview shows the last version without mistakes.');
      return;
    }
    draft = JSON.parse(text.value);
    reload();
  };

  // "line 12" beside a mistake puts the caret at the start of that line.
  problems.addEventListener('click', (event) => {
    const link = event.target.closest('a.line');
    if (!link) return;
    event.preventDefault();
    const lines = text.value.split('\n').slice(0, Number(link.dataset.line) - 1);
    const at = lines.reduce((sum, line) => sum + line.length + 1, 0);
    text.focus();
    text.setSelectionRange(at, at);
    // Roughly where the line is, so that it is in view.
    text.scrollTop = (lines.length / text.value.split('\n').length) * text.scrollHeight - text.clientHeight / 3;
  });

  let timer;
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || !event.data) return;
    if (event.data.type === 'ready') {
      if (!draft) {
        say('Fix the mistakes to see a preview.');
        return;
      }
      frame.contentWindow.postMessage({ type: 'start', definition: draft, show: fired }, '*');
      say(fired ? 'Showing the survey as a visitor sees it.' : 'Ready: “Fire trigger” shows the survey.');
    } else if (event.data.type === 'missing') {
      say('This collector serves no widget: start it with --pkg to preview.');
    }
  });

  for (const choice of studio.querySelectorAll('input[name=frame]')) {
    choice.addEventListener('change', () => {
      studio.classList.toggle('phone', choice.value === 'phone' && choice.checked);
      studio.classList.toggle('desktop', choice.value === 'desktop' && choice.checked);
    });
  }
  locale.addEventListener('change', reload);
  theme.addEventListener('change', reload);
  fire.addEventListener('click', () => {
    fired = true;
    reload();
  });
  reload();
})();
