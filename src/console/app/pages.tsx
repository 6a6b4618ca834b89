import { ApiOutlined, BarChartOutlined, ClusterOutlined, EditOutlined, FlagOutlined, ThunderboltOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

/**
 * A page as a chunk of its own, loaded when first opened (React.lazy): the sign-in page does not
 * download the pages, nor one page the others. The page the browser opens at (a reload, a
 * link) starts loading at once, beside the sign-in check rather than after it.
 */
function lazyPage(path: string, load: () => Promise<ComponentType>): ComponentType {
  let loading: Promise<ComponentType> | undefined;
  const start = () => (loading ??= load());
  if (typeof window !== 'undefined' && (window.location.pathname === path || window.location.pathname.startsWith(`${path}/`))) void start();
  const Lazy = lazy(async () => ({ default: await start() }));
  return function LazyPage() {
    return (
      <Suspense fallback={<Spin />}>
        <Lazy />
      </Suspense>
    );
  };
}
const AlertsPage = lazyPage('/alerts', () => import('../alerts/alerts-page').then((m) => m.AlertsPage));
const ComposePage = lazyPage('/compose', () => import('../compose/compose-page').then((m) => m.ComposePage));
const ClustersPage = lazyPage('/clusters', () => import('../clusters/clusters-page').then((m) => m.ClustersPage));
const ExplorerPage = lazyPage('/explorer', () => import('../explorer/explorer-page').then((m) => m.ExplorerPage));
const LiveBoardPage = lazyPage('/live', () => import('../live-board/live-board-page').then((m) => m.LiveBoardPage));
const OperationsPage = lazyPage('/operations', () => import('../operations/operations-page').then((m) => m.OperationsPage));
const StatisticsPage = lazyPage('/statistics', () => import('../statistics/statistics-page').then((m) => m.StatisticsPage));

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
  /** Shown in the menu only to viewers holding one of these roles (the hub refuses the rest anyway). */
  roles?: Role[];
}

export const PAGES: ConsolePage[] = [
  { key: 'live-board', path: '/live', labelKey: 'shell.menu.liveBoard', icon: <ThunderboltOutlined />, element: <LiveBoardPage /> },
  { key: 'alerts', path: '/alerts', labelKey: 'shell.menu.alerts', icon: <UnorderedListOutlined />, element: <AlertsPage /> },
  { key: 'compose', path: '/compose', labelKey: 'shell.menu.compose', icon: <EditOutlined />, element: <ComposePage />, roles: ['ANALYST'] },
  { key: 'clusters', path: '/clusters', labelKey: 'shell.menu.clusters', icon: <ClusterOutlined />, element: <ClustersPage />, roles: ['ANALYST'] },
  { key: 'operations', path: '/operations', labelKey: 'shell.menu.operations', icon: <FlagOutlined />, element: <OperationsPage /> },
  { key: 'statistics', path: '/statistics', labelKey: 'shell.menu.statistics', icon: <BarChartOutlined />, element: <StatisticsPage /> },
  { key: 'explorer', path: '/explorer', labelKey: 'shell.menu.explorer', icon: <ApiOutlined />, element: <ExplorerPage /> },
];

/** Where `/` and a fresh sign-in land. */
export const HOME_PATH = '/live';
