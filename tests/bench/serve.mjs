// The widget bench's web server on 127.0.0.1: the product page in each variant, every file of the built pkg/ (so
// that chunks the widget fetches later are there too), Sentry's feedback widget bundled with esbuild as a team
// would ship it, and dummy endpoints for both widgets' posts that answer 200. Text and wasm go out gzip -9, as a
// CDN would send them.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Sentry's dummy DSN key and project; the SDK posts envelopes to /api/<project>/envelope/. */
const SENTRY_KEY = 'b3f5c0ffee0000000000000000000000';
const SENTRY_PROJECT = '1';

/** An NPS question: what the survey variants ask. */
const QUESTIONS = [{ id: 'nps', type: 'nps', text: 'How likely are you to recommend us to a friend?' }];

/**
 * The page variants, by name: what goes into the page's head, and which widget (if any) it carries.
 * `rebound-survey` has an exit-intent survey that is eligible on this page (armed after 1 s instead of 3, so a
 * short quick run is armed too); `rebound-dwell` has a dwell survey that keeps counting for the whole idle window
 * and would fire after it (120 s of active time, the visitor counting as active for 600 s after an interaction).
 */
export function variants() {
  const rebound = '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="bench"></script>';
  const config = (surveys) => `<script>window.ReboundConfig = ${JSON.stringify({ surveys })};</script>`;
  return {
    plain: { widget: null, head: '' },
    rebound: { widget: 'rebound', head: rebound },
    'rebound-survey': {
      widget: 'rebound',
      head: config([{ id: 'bench-exit', trigger: { type: 'exit_intent', armAfter: 1 }, questions: QUESTIONS }]) + rebound,
    },
    'rebound-dwell': {
      widget: 'rebound',
      head:
        config([{ id: 'bench-dwell', trigger: { type: 'dwell', seconds: 120, idleAfter: 600 }, questions: QUESTIONS }]) +
        rebound,
    },
    sentry: { widget: 'sentry', head: '<script async src="/sentry-feedback.js"></script>' },
  };
}

/** Bundles tests/bench/sentry-feedback.js into one minified IIFE whose DSN points at `origin`. */
async function sentryBundle(origin) {
  const dsn = `${origin.replace('://', `://${SENTRY_KEY}@`)}/${SENTRY_PROJECT}`;
  const result = await build({
    entryPoints: [here('sentry-feedback.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    define: { SENTRY_DSN: JSON.stringify(dsn), 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'warning',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * Starts the server for `pkg` (the built widget's folder). Resolves to {origin, sentryBytes, posts, stop()}:
 * `sentryBytes` is the raw size of the Sentry bundle, `posts` counts the posts each dummy endpoint received.
 */
export async function start(pkg) {
  const template = readFileSync(here('product.html'), 'utf8');
  const pages = new Map(
    Object.entries(variants()).map(([name, v]) => [`/${name}.html`, Buffer.from(template.replace('<!--WIDGET-->', v.head))]),
  );
  const posts = { rebound: 0, sentry: 0 };
  let sentry = null;
  const gzipped = new Map();
  const send = (req, res, path, body) => {
    const headers = { 'content-type': TYPES[extname(path)] || 'application/octet-stream', 'cache-control': 'no-cache' };
    if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      if (!gzipped.has(path)) gzipped.set(path, gzipSync(body, { level: 9 }));
      body = gzipped.get(path);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(body);
  };
  const srv = createServer((req, res) => {
    const path = new URL(req.url, 'http://bench').pathname;
    if (req.method === 'POST') {
      req.resume();
      if (path === '/v1/responses') posts.rebound++;
      else if (path.startsWith(`/api/${SENTRY_PROJECT}/`)) posts.sentry++;
      else return res.writeHead(404).end();
      return req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    }
    if (pages.has(path)) return send(req, res, path, pages.get(path));
    if (path === '/sentry-feedback.js') return send(req, res, path, sentry);
    if (path.startsWith('/pkg/')) {
      const file = normalize(join(pkg, decodeURIComponent(path.slice('/pkg/'.length))));
      if (file.startsWith(normalize(pkg) + sep)) {
        try {
          return send(req, res, path, readFileSync(file));
        } catch {
          // Not a file of pkg/: a 404 like any other.
        }
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${srv.address().port}`;
  sentry = await sentryBundle(origin);
  return {
    origin,
    sentryBytes: sentry.length,
    posts,
    stop: () => new Promise((resolve) => srv.close(resolve)),
  };
}
