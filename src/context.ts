import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { AccessLogCollector, type AccessRoute } from './access/access-log';
import { AccessService } from './access/access.service';
import { AgencyService } from './agencies/agency.service';
import { AlertService, type AlertSettings } from './alerts/alert.service';
import type { AlertRecordLoader } from './alerts/alert-record';
import type { Logger } from './common/logger';
import type { Viewer } from './identity/viewer';
import { RightsHolderService } from './rights-holders/rights-holder.service';
import { OperationService } from './operations/operation.service';
import DataLoader from 'dataloader';
import type { ProjectedAlert } from './access/alert-projection';
import type { RightsHolder } from './rights-holders/rights-holder.entity';
import type { Agency } from './agencies/agency.entity';

function entityLoaders(alerts: AlertService, rightsHolders: RightsHolderService, agencies: AgencyService): HubContext['entities'] {
  return {
    agencies: new DataLoader(async (codes) => {
      const found = await agencies.getMany(codes);
      return codes.map((code) => found.get(code) ?? null);
    }),
    alerts: new DataLoader(async (ids) => {
      const found = await alerts.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    rightsHolders: new DataLoader(async (ids) => {
      const found = await rightsHolders.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

/**
 * What every resolver gets, for HTTP and WebSocket operations alike: the verified viewer,
 * an EntityManager forked for this operation alone, the services bound to both, and the
 * access-log collector that the transport flushes when the operation's result is sent.
 */
export interface HubContext {
  requestId: string;
  viewer: Viewer;
  em: EntityManager;
  log: Logger;
  accessLog: AccessLogCollector;
  agencies: AgencyService;
  alerts: AlertService;
  access: AccessService;
  rightsHolders: RightsHolderService;
  operations: OperationService;
  settings: AlertSettings;
  /** Whether introspection (and with it the subgraph SDL, `_service`) is open to every caller. */
  introspection: boolean;
  /**
   * Entity references from a federation router (`_entities`), batched per request: alerts go
   * through the same access rules and are logged with the route `federation`.
   */
  entities: {
    alerts: DataLoader<string, ProjectedAlert | null>;
    rightsHolders: DataLoader<string, RightsHolder | null>;
    agencies: DataLoader<string, Agency | null>;
  };
}

export interface ContextOptions {
  settings: AlertSettings;
  requestId?: string;
  /** How what this operation shows leaves the agency: 'query' unless it is a subscription. */
  route?: AccessRoute;
  /** Where the alerts' entities come from once visibility has been checked; by default this operation's EntityManager. */
  loadAlerts?: AlertRecordLoader;
  /** Whether introspection is on (HUB_INTROSPECTION). Default off: the SDL for routers only. */
  introspection?: boolean;
}

/**
 * Builds the context of one operation. Never shares an EntityManager between operations. What
 * most operations never touch (the other services, the federation loaders, the request's child
 * logger) is made on first use: a page of alerts needs the alerts alone.
 */
export function createContext(orm: MikroORM, viewer: Viewer, log: Logger, opts: ContextOptions): HubContext {
  const em = orm.em.fork();
  const requestId = opts.requestId ?? randomUUID();
  const accessLog = new AccessLogCollector(viewer, opts.route ?? 'query');
  const alerts = new AlertService(em, viewer, opts.settings, accessLog, opts.loadAlerts);
  let requestLog: Logger | undefined;
  let rightsHolders: RightsHolderService | undefined;
  let agencies: AgencyService | undefined;
  let access: AccessService | undefined;
  let operations: OperationService | undefined;
  let entities: HubContext['entities'] | undefined;
  return {
    requestId,
    viewer,
    em,
    accessLog,
    alerts,
    settings: opts.settings,
    introspection: opts.introspection ?? false,
    get log() {
      return (requestLog ??= log.child({ requestId, agency: viewer.agencyCode, subject: viewer.subject }));
    },
    get rightsHolders() {
      return (rightsHolders ??= new RightsHolderService(em, viewer));
    },
    get agencies() {
      return (agencies ??= new AgencyService(em));
    },
    get access() {
      return (access ??= new AccessService(em, viewer, alerts));
    },
    get operations() {
      return (operations ??= new OperationService(em, viewer, opts.settings, alerts));
    },
    get entities() {
      return (entities ??= entityLoaders(new AlertService(em, viewer, opts.settings, accessLog.as('federation')), this.rightsHolders, this.agencies));
    },
  };
}
