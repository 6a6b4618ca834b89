import { AccessLogRow, DisclosureRequest, SharingAgreement } from '../access/access.entities';
import { Agency } from '../agencies/agency.entity';
import { Alert, AlertHistoryEntry, AlertReferenceCounter, GoodsLine } from '../alerts/alert.entity';
import { MatchKey } from '../correlation/match-key.entity';
import { ProbeQuota } from '../correlation/probe-quota.entity';
import { JointOperation, OperationResult, OperationTask, Seizure } from '../operations/operation.entities';
import { IprRecordation, RightsHolder } from '../rights-holders/rights-holder.entity';

/** Every entity of the hub; a new one is added here and gets a migration. */
export const ENTITIES = [Agency, Alert, GoodsLine, AlertReferenceCounter, AlertHistoryEntry, RightsHolder, IprRecordation, SharingAgreement, DisclosureRequest, AccessLogRow, JointOperation, OperationTask, OperationResult, Seizure, MatchKey, ProbeQuota];
