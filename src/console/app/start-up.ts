import { fetchAuthConfig } from '../sign-in/auth-api';
import { rememberedAgency } from '../sign-in/oidc';
import { loadSession } from '../sign-in/session';
import { loadSignedIn } from './load-signed-in';
import { preloadPageAt } from './page-code';

/**
 * How long the first render waits for `/auth/config` on a tab without a session: on loopback or
 * a near link the answer is in by then, and the sign-in page renders once, whole, instead of a
 * spinner first and the form in a second render; on a slow link the spinner shows after this.
 */
const AUTH_CONFIG_WAIT_MS = 100;

/**
 * Imported first by main.tsx, so that it runs before the console's own modules and the first
 * render: a tab with a session starts loading the signed-in console and the page it opens at
 * (the hub's HTML for that path has named their chunks already, so they are in or on their way);
 * a tab without one asks the hub how it signs people in, which the sign-in page needs before it
 * offers anything. Resolves when the first render should start.
 */
export const startUp: Promise<void> = (() => {
  if (loadSession() || rememberedAgency()) {
    void loadSignedIn().catch(() => undefined);
    preloadPageAt(window.location.pathname);
    return Promise.resolve();
  }
  const config = fetchAuthConfig().then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([config, new Promise<void>((resolve) => setTimeout(resolve, AUTH_CONFIG_WAIT_MS))]);
})();
