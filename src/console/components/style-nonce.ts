/**
 * Gives the page's CSP nonce to every <style> element the console's own code creates.
 *
 * Ant Design's run-time styles take the nonce from ConfigProvider, but some of its building
 * blocks insert a <style> of their own without one: @rc-component/table measures the scrollbar
 * on every Table mount (getTargetScrollBarSize → updateCSS with no `csp`), and the hub's
 * Content-Security-Policy blocks it, which shows as a CSP violation in the console. Stamping
 * the nonce at creation keeps the policy strict (no 'unsafe-inline') and the page quiet. Only
 * code already running in the page (bundled, from 'self') can reach createElement.
 */
export function stampStyleNonce(nonce: string | undefined, doc: Document = document): void {
  if (!nonce) return;
  const create = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  doc.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const element = create(tag, options);
    if (tag.toLowerCase() === 'style') element.nonce = nonce;
    return element;
  }) as Document['createElement'];
}
