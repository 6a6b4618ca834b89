import { ApiOutlined, AuditOutlined, BarChartOutlined, ClusterOutlined, EditOutlined, FileSearchOutlined, FlagOutlined, InboxOutlined, ThunderboltOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ComponentType, ReactNode } from 'react';
import { InboxCount } from '../inbox/inbox-count';
import { AlertsPage, ClustersPage, ComposePage, ExplorerPage, HOME_PATH, InboxPage, LiveBoardPage, OperationsPage, ProbePage, SharingPage, StatisticsPage } from './page-code';

/** The hub's roles (schema/schema.graphql `enum Role`). */
export type Role = 'OBSERVER' | 'ANALYST' | 'COORDINATOR' | 'ADMIN';

/**
 * The console's pages: each is a route and an entry of the navigation menu. A new page is a
 * folder (src/console/<page>/) with its component, and one entry here.
 */
export interface ConsolePage {
  /** Menu key, and the folder's name. */
  key: string;
  /** Route path (react-router), absolute. */
  path: string;
  /** Locale key of the menu label. */
  labelKey: string;
  icon: ReactNode;
  element: ReactNode;
  /**
   * Shown in the menu only to viewers holding one of these roles; anyone else who opens its
   * path gets a "not allowed" page instead (app/role-gate.tsx). The hub refuses the rest anyway.
   */
  roles?: Role[];
  /** Locale key of what the "not allowed" page says (default `shell.forbidden.roles`; given `roles` and `yours`). */
  deniedKey?: string;
  /** Beside the menu label, e.g. a count (loaded with the shell: keep it small). */
  MenuExtra?: ComponentType;
}

export const PAGES: ConsolePage[] = [
  { key: 'live-board', path: '/live', labelKey: 'shell.menu.liveBoard', icon: <ThunderboltOutlined />, element: <LiveBoardPage /> },
  { key: 'alerts', path: '/alerts', labelKey: 'shell.menu.alerts', icon: <UnorderedListOutlined />, element: <AlertsPage /> },
  { key: 'compose', path: '/compose', labelKey: 'shell.menu.compose', icon: <EditOutlined />, element: <ComposePage />, roles: ['ANALYST'], deniedKey: 'pages.compose.notAllowed.roles' },
  { key: 'clusters', path: '/clusters', labelKey: 'shell.menu.clusters', icon: <ClusterOutlined />, element: <ClustersPage />, roles: ['ANALYST'] },
  { key: 'probe', path: '/probe', labelKey: 'shell.menu.probe', icon: <FileSearchOutlined />, element: <ProbePage />, roles: ['ANALYST'] },
  // Analysts decide and ask; administrators, who answer for what the agency shares, follow the requests.
  { key: 'inbox', path: '/inbox', labelKey: 'shell.menu.inbox', icon: <InboxOutlined />, element: <InboxPage />, roles: ['ANALYST', 'ADMIN'], MenuExtra: InboxCount },
  { key: 'sharing', path: '/sharing', labelKey: 'shell.menu.sharing', icon: <AuditOutlined />, element: <SharingPage />, roles: ['ADMIN'] },
  { key: 'operations', path: '/operations', labelKey: 'shell.menu.operations', icon: <FlagOutlined />, element: <OperationsPage /> },
  { key: 'statistics', path: '/statistics', labelKey: 'shell.menu.statistics', icon: <BarChartOutlined />, element: <StatisticsPage /> },
  { key: 'explorer', path: '/explorer', labelKey: 'shell.menu.explorer', icon: <ApiOutlined />, element: <ExplorerPage /> },
];

/** Where `/` and a fresh sign-in land (page-code.tsx). */
export { HOME_PATH };
