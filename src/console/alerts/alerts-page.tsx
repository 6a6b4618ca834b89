import { PagePlaceholder } from '../components/page-placeholder';

/** Placeholder until the page is built (issue 19). */
export function AlertsPage() {
  return <PagePlaceholder titleKey="pages.alerts.title" />;
}
