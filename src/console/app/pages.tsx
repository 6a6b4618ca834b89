import { ApiOutlined, EditOutlined, ThunderboltOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { AlertsPage } from '../alerts/alerts-page';
import { ComposePage } from '../compose/compose-page';
import { ExplorerPage } from '../explorer/explorer-page';
import { LiveBoardPage } from '../live-board/live-board-page';

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
  { key: 'explorer', path: '/explorer', labelKey: 'shell.menu.explorer', icon: <ApiOutlined />, element: <ExplorerPage /> },
];

/** Where `/` and a fresh sign-in land. */
export const HOME_PATH = '/live';
