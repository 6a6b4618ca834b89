import { PagePlaceholder } from '../components/page-placeholder';

/** Placeholder until the page is built (issue 19). */
export function ExplorerPage() {
  return <PagePlaceholder titleKey="pages.explorer.title" />;
}
