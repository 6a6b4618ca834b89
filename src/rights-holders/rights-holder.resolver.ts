import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../context';
import { RightsHolderInput } from './rights-holder.inputs';
import { RightsHolderType, toRightsHolderType } from './rights-holder.type';

@Resolver(() => RightsHolderType)
export class RightsHolderResolver {
  @Query(() => [RightsHolderType])
  async rightsHolders(
    @Ctx() ctx: HubContext,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number = 20,
  ): Promise<RightsHolderType[]> {
    return (await ctx.rightsHolders.search(search, first)).map(toRightsHolderType);
  }

  @Mutation(() => RightsHolderType)
  async upsertRightsHolder(@Arg('input', () => RightsHolderInput) input: RightsHolderInput, @Ctx() ctx: HubContext): Promise<RightsHolderType> {
    return toRightsHolderType(await ctx.rightsHolders.upsert(input));
  }
}
