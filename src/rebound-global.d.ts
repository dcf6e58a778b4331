// Types of `window.Rebound`, the API the script tag (pkg/rebound.js) defines, and of the `rebound:*` events it
// dispatches on `document`. Reference them with `/// <reference types="rebound-widget/rebound-global" />`.

/** One answer in a payload. */
export type ReboundAnswer =
  | { question: string; type: 'rating' | 'nps' | 'csat'; value: number }
  | { question: string; type: 'single'; value: { option: string; other?: string } }
  | { question: string; type: 'multi'; value: { options: string[]; other?: string } }
  | { question: string; type: 'text'; value: string }
  | { question: string; type: 'contact'; value: { email?: string; phone?: string; consent: true } };

/** What triggered the form or the survey. */
export type ReboundTrigger =
  | 'button' | 'api' | 'exit_intent' | 'dwell' | 'scroll' | 'event' | 'click' | 'delay'
  | 'request_failed' | 'rage_click' | 'js_error' | 'form_error';

/** What a failure trigger saw, sent with the survey it showed. */
export type ReboundFailure =
  | { kind: 'request_failed'; rule: string; url: string; status?: number; duration_ms: number }
  | { kind: 'rage_click'; selector: string; clicks: number }
  | { kind: 'js_error'; message: string; script: string }
  | { kind: 'form_error'; field: string; times: number };

/** A flat object of host data, as given to `identify` and `setContext`. */
export type ReboundHostData = Record<string, string | number | boolean>;

/** What the widget posts to the endpoint; `schema/submission.v1.json` is the exact contract. */
export interface ReboundSubmission {
  schema_version: 1;
  id: string;
  site: string;
  kind: 'feedback' | 'survey';
  /** Survey responses only. */
  survey?: { id: string; version: number };
  trigger: ReboundTrigger;
  complete: boolean;
  answers: ReboundAnswer[];
  page: { url: string; title: string; referrer: string };
  client: { locale: string; viewport: { width: number; height: number }; user_agent: string };
  /** Survey responses only. */
  signals?: { active_seconds: number; scroll_depth: number; seconds_to_complete?: number };
  /** Survey responses shown by a failure trigger: what it saw. */
  failure?: ReboundFailure;
  /** The `configVersion` of the configuration the answer was given under, when it has one. */
  config_version?: number;
  /** From `Rebound.identify`. */
  visitor?: ReboundHostData;
  /** From `Rebound.setContext`. */
  context?: ReboundHostData;
  /** With the `signals` option, when there is something to report. */
  diagnostics?: {
    errors?: { message: string; source: string; at: string }[];
    failed_requests?: { url: string; status: number }[];
  };
  /** The case a survey's recovery opened, updated with each step. */
  recovery?: {
    rule: string;
    severity: 'normal' | 'high' | 'urgent';
    reference: string;
    secret: string;
    previous_failures: number;
    motive?: 'refund' | 'replacement' | 'discount' | 'person' | 'none' | 'other';
    motive_text?: string;
    contact?: { email?: string; phone?: string; consent: true };
    remedy?: { voucher: string } | { link: string };
  };
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
  /** A survey appeared. */
  shown: { survey: string; trigger: ReboundTrigger };
  /** The visitor answered a survey question; the answers so far are on their way. */
  answer: { survey: string };
  /** The visitor closed a survey without answering anything. */
  dismiss: { survey: string };
  /** The visitor finished a survey's recovery steps: the case to act on. */
  recovery: {
    reference: string;
    rule: string;
    severity: 'normal' | 'high' | 'urgent';
    motive: 'refund' | 'replacement' | 'discount' | 'person' | 'none' | 'other';
    motiveText?: string;
    contact?: { email?: string; phone?: string };
  };
}

/** One survey; the whole format is documented in `src/survey/definition.rs` of the widget's repository. */
export interface ReboundSurvey {
  id: string;
  version?: number;
  defaultLocale?: string;
  trigger: {
    type: 'exit_intent' | 'dwell' | 'scroll' | 'event' | 'click' | 'delay' | 'api'
      | 'request_failed' | 'rage_click' | 'js_error' | 'form_error';
    [setting: string]: unknown;
  };
  targeting?: Record<string, unknown>;
  display?: Record<string, unknown>;
  questions: ({ id: string; type: 'rating' | 'nps' | 'csat' | 'single' | 'multi' | 'text' | 'contact' } & Record<string, unknown>)[];
  /** How the survey answers an unhappy visitor (see the README's "Recovery"). */
  recovery?: {
    name?: string;
    when: Record<string, unknown> | Record<string, unknown>[];
    severity?: 'normal' | 'high' | 'urgent';
    solutions?: ('refund' | 'replacement' | 'discount' | 'person' | 'none')[];
    reply?: string | Record<string, string>;
    remedy?: { voucher: string } | { link: string; label: string | Record<string, string> };
  };
}

/** The names of the widget's texts in the `strings` option. */
export type ReboundTextName =
  | 'button' | 'title' | 'star' | 'rating1' | 'rating2' | 'rating3' | 'rating4' | 'rating5' | 'message'
  | 'consent' | 'email' | 'send' | 'sending' | 'close' | 'thanks' | 'failed' | 'empty' | 'badEmail' | 'saved'
  | 'rejected' | 'copy' | 'copied' | 'next' | 'skip' | 'required' | 'phone' | 'badPhone' | 'npsLow' | 'npsHigh'
  | 'csat1' | 'csat2' | 'csat3' | 'csat4' | 'csat5' | 'otherText'
  | 'surveyShown' | 'face1' | 'face2' | 'face3' | 'face4' | 'face5'
  | 'sorryFor' | 'sorry' | 'fair' | 'refund' | 'replacement' | 'discount' | 'person' | 'justSaying'
  | 'somethingElse' | 'reachAsk' | 'tellingUs' | 'caseNumber' | 'voucher' | 'copyCode' | 'caseUpdate'
  | 'leadRequestFailed' | 'leadRageClick' | 'leadJsError' | 'leadFormError' | 'unavailable';

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
  /** The site's own texts, replacing the built-in ones in every language. */
  strings?: Partial<Record<ReboundTextName, string>>;
  /** Diagnostics sent with every answer: recent JavaScript errors, failed requests. */
  signals?: ('errors' | 'requests')[];
  /** Query parameters removed from the page URL and referrer, replacing the default (tokens, passwords, emails). */
  stripParams?: string[];
  /** Days an unsent answer waits before it is dropped (1 to 365). */
  expiryDays?: number;
  /** Days between two surveys for one visitor, counting surveys seen but not answered (0 to 365; 0: off). */
  surveyCooldownDays?: number;
  /** Micro-surveys; one with a mistake is left out with a console line. */
  surveys?: ReboundSurvey[];
  /** The published version of this configuration (from 1), reported in every answer as `config_version`. */
  configVersion?: number;
  /** `true`: report when surveys were shown and dismissed, to `views` next to the endpoint (with storage consent). */
  reportViews?: boolean;
  /** The feedback form's recovery: `false` turns it off; a plan as a survey's, its `when` optional. */
  recovery?: false | (Omit<NonNullable<ReboundSurvey['recovery']>, 'when'> & { when?: NonNullable<ReboundSurvey['recovery']>['when'] });
  /** Where recovery cases are followed up: a URL, or `false` for none (default: `cases/status` next to `endpoint`). */
  followUp?: string | false;
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
  /** Attaches who the visitor is to every later answer (`visitor`); `null` clears it. */
  identify(visitor: ({ id?: string | number; email?: string; name?: string } & ReboundHostData) | null): ReboundApi;
  /** Attaches what the visitor is doing to every later answer (`context`); `null` clears it. */
  setContext(context: ReboundHostData | null): ReboundApi;
  /** Tells `event` surveys that `name` happened, with optional properties to match their filters. */
  track(name: string, properties?: Record<string, unknown>): ReboundApi;
  /** Shows survey `id` now, unless the visitor already answered it or it is open in another tab. */
  show(id: string): ReboundApi;
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
    'rebound:shown': CustomEvent<ReboundEvents['shown']>;
    'rebound:answer': CustomEvent<ReboundEvents['answer']>;
    'rebound:dismiss': CustomEvent<ReboundEvents['dismiss']>;
    'rebound:recovery': CustomEvent<ReboundEvents['recovery']>;
  }
}
