import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { selectedCollections } from '../alerts/alert.resolver';
import { DateTime } from '../common/scalars';
import type { HubContext } from '../context';
import { ShipmentClusterService } from './shipment-clusters';
import { ShipmentClusterType } from './shipment-cluster.types';

@Resolver()
export class ShipmentClusterResolver {
  @Query(() => [ShipmentClusterType], {
    description:
      'split-shipment clusters (ANALYST): small parcels published in the window that share a consignee name, address, phone, e-mail or registration ' +
      '(equal match keys across agencies; near matches among consignees the viewer may read), large together, holding a parcel of the viewer\'s agency; best first. ' +
      'Parcels the viewer may not see are counted per agency, never shown. See docs/correlation.md.',
  })
  shipmentClusters(
    @Ctx() ctx: HubContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('from', () => DateTime, { nullable: true, description: 'start of the window (publication time); default 90 days before `to`; widened to the start of its UTC day' }) from?: Date,
    @Arg('to', () => DateTime, { nullable: true, description: 'end of the window; default now; widened to the end of its UTC day; at most 366 days after `from`' }) to?: Date,
    @Arg('minTotalQuantity', () => Int, { nullable: true, description: 'the least pieces of a cluster; default 20,000 (see docs/correlation.md for how hidden members count)' }) minTotalQuantity?: number,
    @Arg('maxMemberQuantity', () => Int, { nullable: true, description: "the most pieces of a member the viewer sees; default 3,000 (hidden members are held to the hub's 3,000)" }) maxMemberQuantity?: number,
    @Arg('alertId', () => ID, { nullable: true, description: 'only the cluster holding this alert (NOT_FOUND when the viewer may not see it)' }) alertId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'at most 100' }) first: number = 20,
  ): Promise<ShipmentClusterType[]> {
    return new ShipmentClusterService(ctx.em, ctx.viewer, ctx.settings, ctx.alerts, ctx.agencies).clusters(
      { from, to, minTotalQuantity, maxMemberQuantity, alertId, first },
      selectedCollections(info),
    );
  }
}
