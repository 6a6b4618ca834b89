import { Spin } from 'antd';
import { onDemand } from '../components/on-demand';

/**
 * The signed-in console (signed-in.tsx: Apollo Client, the shell, the pages' registry and their
 * GraphQL documents), a chunk of its own so that the sign-in page loads none of it. A tab that
 * opens with a session starts loading it at once (start-up.ts, beside the rest of start-up: the
 * hub also names its chunks in the HTML of the pages' paths); the sign-in page starts it once it
 * is usable, so that signing in does not wait for it.
 */
export const SignedIn = onDemand(() => import('./signed-in').then((m) => m.SignedIn), <Spin />);

/** Starts loading the signed-in console (once). */
export function loadSignedIn(): Promise<unknown> {
  return SignedIn.preload();
}
