import { PagePlaceholder } from '../components/page-placeholder';

/** Placeholder until the page is built (issue 19). */
export function LiveBoardPage() {
  return <PagePlaceholder titleKey="pages.liveBoard.title" />;
}
