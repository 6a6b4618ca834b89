import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SHOWN, type Projected } from '../access/field-class';
import { DisclosureStatus, FieldClass } from '../common/enums';
import type { HubContext } from '../context';
import { HandleRequestService } from './handle-requests';
import { ProbeService } from './probe.service';
import { HandleDisclosureRequestType, IdentifierHitType, IdentifierMatchType, IdentifierProbeInput, ProbeQuotaType } from './probe.types';

// Made per operation from the context's parts, as the context makes its own services.
const probes = (ctx: HubContext) => new ProbeService(ctx.em, ctx.viewer, ctx.settings, ctx.alerts, ctx.accessLog);
const handleRequests = (ctx: HubContext) => new HandleRequestService(ctx.em, ctx.viewer, ctx.settings, ctx.alerts);

@Resolver()
export class ProbeResolver {
  @Query(() => [IdentifierMatchType], {
    description:
      'hit/no-hit (ANALYST): for each value, the alerts of every agency that hold it, never their values; at most 50 values a call, ' +
      'each distinct usable value counting against the daily quota (probeQuota); every hit on a partner\'s alert is in its access log (via match)',
  })
  matchIdentifiers(@Arg('identifiers', () => [IdentifierProbeInput]) identifiers: IdentifierProbeInput[], @Ctx() ctx: HubContext): Promise<IdentifierMatchType[]> {
    return probes(ctx).match(identifiers);
  }

  @Query(() => ProbeQuotaType, { description: "the viewer's probe allowance for the current UTC day (ANALYST)" })
  probeQuota(@Ctx() ctx: HubContext): Promise<ProbeQuotaType> {
    return probes(ctx).quota();
  }

  @Query(() => [HandleDisclosureRequestType], { description: "disclosure requests the viewer's agency made through hit handles, newest first" })
  handleDisclosureRequests(
    @Ctx() ctx: HubContext,
    @Arg('status', () => [DisclosureStatus], { nullable: true }) status?: DisclosureStatus[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
  ): Promise<HandleDisclosureRequestType[]> {
    return handleRequests(ctx).list(status, first);
  }

  @Mutation(() => HandleDisclosureRequestType, {
    description:
      "asks the holder of the alert behind a hit handle for classes of it (ANALYST); an empty list asks for the hit's class. " +
      'The holder decides it like any disclosure request; an approval shows the requester that one alert until it expires',
  })
  requestDisclosureByHandle(
    @Arg('handle', () => String) handle: string,
    @Arg('fieldClasses', () => [FieldClass]) fieldClasses: FieldClass[],
    @Arg('justification', () => String) justification: string,
    @Ctx() ctx: HubContext,
  ): Promise<HandleDisclosureRequestType> {
    return handleRequests(ctx).request(handle, fieldClasses, justification);
  }
}

@Resolver(() => IdentifierHitType)
export class IdentifierHitResolver {
  /** The open alert's reference, shown as its own CORE field would be (and logged so for a partner's). */
  @FieldResolver(() => String, { nullable: true })
  reference(@Root() hit: IdentifierHitType): string | null {
    if (!hit.alert) return null;
    (hit.alert as unknown as Partial<Projected>)[SHOWN]?.(FieldClass.CORE);
    return hit.alert.reference;
  }
}
