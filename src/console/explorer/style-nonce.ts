/**
 * Monaco (GraphiQL's editor) adds <style> elements of its own, without a nonce, and the
 * console's CSP allows only styles carrying the page's nonce. Imported before Monaco: every
 * <style> element created by script from now on gets the page's nonce (script is 'self' only,
 * so only the console's own bundles run here). Markup-injected <style> stays blocked.
 */
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

if (nonce) {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    const element = create.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as typeof Document.prototype.createElement;
}
