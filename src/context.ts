import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { AgencyService } from './agencies/agency.service';
import { AlertService } from './alerts/alert.service';
import type { Logger } from './common/logger';
import type { AlertEventBus } from './events/alert-event-bus';
import type { Viewer } from './identity/viewer';
import { RightsHolderService } from './rights-holders/rights-holder.service';

/**
 * What every resolver gets, for HTTP and WebSocket operations alike: the verified viewer,
 * an EntityManager forked for this operation alone, and the services bound to both.
 */
export interface HubContext {
  requestId: string;
  viewer: Viewer;
  em: EntityManager;
  log: Logger;
  agencies: AgencyService;
  alerts: AlertService;
  rightsHolders: RightsHolderService;
  /** Live alert changes of this hub. */
  events: AlertEventBus;
}

/** Builds the context of one operation. Never shares an EntityManager between operations. */
export function createContext(
  orm: MikroORM,
  events: AlertEventBus,
  viewer: Viewer,
  log: Logger,
  requestId: string = randomUUID(),
): HubContext {
  const em = orm.em.fork();
  return {
    requestId,
    viewer,
    em,
    log: log.child({ requestId, agency: viewer.agencyCode, subject: viewer.subject }),
    agencies: new AgencyService(em),
    alerts: new AlertService(em, viewer, events),
    rightsHolders: new RightsHolderService(em, viewer),
    events,
  };
}
