import { useEffect, useState, type ComponentType, type ReactNode } from 'react';

/** A component whose code loads on demand (onDemand), and the call that starts loading it. */
export type OnDemand<P extends object> = ComponentType<P> & {
  /** Starts loading now (once; a failed load is tried again at the next call). */
  preload(): Promise<ComponentType<P>>;
};

/**
 * Like React.lazy, without Suspense. React holds back the content of a Suspense boundary that
 * showed its fallback until 300 ms after the fallback appeared (it batches reveals), even when
 * the code arrived long before: on a reload of the live board, the signed-in console and then
 * the page each paid that wait (bench/CONSOLE-BUDGETS.md). Here a component whose code is in
 * already renders at once, and one whose code is on its way shows `fallback` and renders as an
 * ordinary update when it arrives. A failed load is thrown at the next render, as React.lazy's is.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode): OnDemand<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (c) => (loaded = c),
      (e: unknown) => {
        loading = undefined;
        throw e;
      },
    ));
  function Deferred(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failure, setFailure] = useState<{ error: unknown }>();
    useEffect(() => {
      if (Component) return;
      let mounted = true;
      preload().then(
        (c) => mounted && setComponent(() => c),
        (error: unknown) => mounted && setFailure({ error }),
      );
      return () => {
        mounted = false;
      };
    }, [Component]);
    if (failure) throw failure.error;
    return Component ? <Component {...props} /> : fallback;
  }
  return Object.assign(Deferred, { preload });
}
