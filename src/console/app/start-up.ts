import { fetchAuthConfig } from '../sign-in/auth-api';
import { rememberedAgency } from '../sign-in/oidc';
import { loadSession } from '../sign-in/session';
import { loadSignedIn } from './load-signed-in';
import { preloadPageAt } from './page-code';

/**
 * Imported first by main.tsx, so that it runs before the console's own modules and the first
 * render: a tab with a session starts loading the signed-in console and the page it opens at
 * (the hub's HTML for that path has named their chunks already, so they are in or on their way);
 * a tab without one asks the hub how it signs people in, which the sign-in page needs before it
 * offers anything.
 */
if (loadSession() || rememberedAgency()) {
  void loadSignedIn().catch(() => undefined);
  preloadPageAt(window.location.pathname);
} else {
  void fetchAuthConfig().catch(() => undefined);
}
