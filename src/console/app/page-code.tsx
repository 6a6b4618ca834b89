import { Spin } from 'antd';
import type { ComponentType } from 'react';
import { onDemand, type OnDemand } from '../components/on-demand';

/**
 * The pages' code, each a chunk of its own loaded when first opened (onDemand): the sign-in
 * page does not run the pages, nor one page the others. Apart from pages.tsx (the registry, with
 * the menu's icons and counts, which go with the signed-in console) so that start-up.ts and the
 * sign-in page can start loading a page without loading the registry.
 */
const onDemandPages = new Map<string, OnDemand<object>>();

function lazyPage(path: string, load: () => Promise<ComponentType>): ComponentType {
  const Page = onDemand(load, <Spin />);
  onDemandPages.set(path, Page);
  return Page;
}
export const AlertsPage = lazyPage('/alerts', () => import('../alerts/alerts-page').then((m) => m.AlertsPage));
export const ComposePage = lazyPage('/compose', () => import('../compose/compose-page').then((m) => m.ComposePage));
export const ClustersPage = lazyPage('/clusters', () => import('../clusters/clusters-page').then((m) => m.ClustersPage));
export const ProbePage = lazyPage('/probe', () => import('../probe/probe-page').then((m) => m.ProbePage));
export const InboxPage = lazyPage('/inbox', () => import('../inbox/inbox-page').then((m) => m.InboxPage));
export const SharingPage = lazyPage('/sharing', () => import('../sharing/sharing-page').then((m) => m.SharingPage));
export const ExplorerPage = lazyPage('/explorer', () => import('../explorer/explorer-page').then((m) => m.ExplorerPage));
export const LiveBoardPage = lazyPage('/live', () => import('../live-board/live-board-page').then((m) => m.LiveBoardPage));
export const OperationsPage = lazyPage('/operations', () => import('../operations/operations-page').then((m) => m.OperationsPage));
export const StatisticsPage = lazyPage('/statistics', () => import('../statistics/statistics-page').then((m) => m.StatisticsPage));

/** Where `/` and a fresh sign-in land. */
export const HOME_PATH = '/live';

/**
 * Starts loading the code of the page at `pathname`, if it is one of the pages: start-up.ts
 * calls it for the path a signed-in tab opens at (a reload, a link), so that the page's code is
 * in when the shell first renders and both show in one go; the sign-in page calls it for HOME_PATH.
 */
export function preloadPageAt(pathname: string): void {
  for (const [path, Page] of onDemandPages) {
    if (pathname === path || pathname.startsWith(`${path}/`)) void Page.preload().catch(() => undefined);
  }
}
