// Types of the ES module entry for bundlers (`rebound.mjs`): the same widget as the script tag's, whose API and
// options are typed in `rebound-global.d.ts`.
import type { ReboundApi, ReboundConfig } from './rebound-global';

export type { ReboundApi, ReboundConfig } from './rebound-global';

/**
 * Fetches and instantiates the eager core now, instead of at the page's `load` event. Optional: `start` does it
 * when it was not done.
 */
export default function init(): Promise<void>;

/**
 * Starts the widget: the eager core draws the button after the page's `load` event, and the rest is fetched only
 * when this page view can use it. `script` is a `<script>` element whose `data-*` attributes are read, or `null`;
 * `config` holds the options (those of `window.ReboundConfig`). Resolves to the widget's API once the button is
 * drawn, or to `undefined` when the widget stays off (the reason is on the console). Never rejects.
 */
export function start(script: HTMLScriptElement | null, config?: ReboundConfig): Promise<ReboundApi | undefined>;
