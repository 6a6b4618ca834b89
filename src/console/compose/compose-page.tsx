import { PagePlaceholder } from '../components/page-placeholder';

/** Placeholder until the page is built (issue 19). */
export function ComposePage() {
  return <PagePlaceholder titleKey="pages.compose.title" />;
}
