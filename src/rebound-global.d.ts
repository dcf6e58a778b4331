// Types of `window.Rebound`, the API the script tag (pkg/rebound.js) defines, and of the `rebound:*` events it
// dispatches on `document`. Reference them with `/// <reference types="rebound-widget/rebound-global" />`.

/** One answer in a payload. */
export type ReboundAnswer =
  | { question: string; type: 'rating'; value: number }
  | { question: string; type: 'text'; value: string }
  | { question: string; type: 'contact'; value: { email: string; consent: true } };

/** What the widget posts to the endpoint; `schema/submission.v1.json` is the exact contract. */
export interface ReboundSubmission {
  schema_version: 1;
  id: string;
  site: string;
  kind: 'feedback';
  trigger: 'button' | 'api';
  complete: boolean;
  answers: ReboundAnswer[];
  page: { url: string; title: string; referrer: string };
  client: { locale: string; viewport: { width: number; height: number }; user_agent: string };
  created_at: string;
}

/** The `detail` of each event. */
export interface ReboundEvents {
  /** The button is on the page. */
  ready: null;
  /** The dialog opened. */
  open: { trigger: 'button' | 'api' };
  /** The dialog closed. */
  close: null;
  /** The visitor sent a valid answer: the payload on its way. */
  submit: ReboundSubmission;
  /** A sending attempt failed and the response waits in the outbox; `attempts` so far. */
  queued: { id: string; attempts: number };
  /** The endpoint answered 2xx for this response. */
  delivered: { id: string };
  /** The endpoint refused this response for good (a 4xx other than 408, 425, 429); it is not retried. */
  error: { id: string; status: number | null; message: string };
}

/** Options, set as `window.ReboundConfig` before the script tag (or as `data-*` attributes on it). */
export interface ReboundConfig {
  endpoint?: string;
  site?: string;
  locale?: string;
  position?: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'side-right' | 'side-left';
  /** `auto` follows the visitor's system setting; `light` is the default. */
  theme?: 'light' | 'dark' | 'auto';
  /** An attribute of the page's `<html>` (e.g. `data-theme` or `class`) whose `dark`/`light` value wins, live. */
  themeAttribute?: string;
  buttonLabel?: string;
  nonce?: string;
  config?: string;
  consent?: 'granted' | 'pending' | 'denied';
  respectGpc?: boolean;
  headers?: Record<string, string>;
}

export interface ReboundApi {
  /** Opens the feedback dialog (the payload's `trigger` is then `"api"`). */
  open(): ReboundApi;
  /** Closes it, keeping what the visitor typed. */
  close(): ReboundApi;
  /** Removes every element and listener the widget added, and `window.Rebound` itself. */
  destroy(): void;
  /** Records the visitor's storage consent; `"granted"` moves what waits in memory into storage. */
  setConsent(consent: 'granted' | 'pending' | 'denied'): ReboundApi;
  /** Calls `callback(detail)` on each `event`. */
  on<E extends keyof ReboundEvents>(event: E, callback: (detail: ReboundEvents[E]) => void): ReboundApi;
}

declare global {
  interface Window {
    Rebound?: ReboundApi;
    ReboundConfig?: ReboundConfig;
  }
  interface DocumentEventMap {
    'rebound:ready': CustomEvent<ReboundEvents['ready']>;
    'rebound:open': CustomEvent<ReboundEvents['open']>;
    'rebound:close': CustomEvent<ReboundEvents['close']>;
    'rebound:submit': CustomEvent<ReboundEvents['submit']>;
    'rebound:queued': CustomEvent<ReboundEvents['queued']>;
    'rebound:delivered': CustomEvent<ReboundEvents['delivered']>;
    'rebound:error': CustomEvent<ReboundEvents['error']>;
  }
}
