// What a web team writes to get Sentry's feedback button: the browser SDK with its feedback integration, as the
// Sentry docs show it. The bench bundles this with esbuild into one minified script; SENTRY_DSN is set at bundle
// time to a dummy endpoint of the bench on 127.0.0.1.
import { feedbackIntegration, init } from '@sentry/browser';

init({
  dsn: SENTRY_DSN,
  integrations: [feedbackIntegration({ colorScheme: 'system' })],
});
