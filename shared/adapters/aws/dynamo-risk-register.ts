/** Reads of the materialized risk register: its views (gsi1 by name, register-by-*), and the sharded counts. */
import { BatchGetCommand, GetCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { FourthPartyCounts, FourthPartyMember } from '../../domain/fourth-parties.ts';
import { emptySummary, summaryPlus, type PortfolioCounts, type RegisterLine, type RegisterPlan } from '../../domain/risk-register.ts';
import { readFourthPartyCounts, readFourthPartyMember } from './fourth-party-items.ts';
import type { Page } from '../../ports/page.ts';
import type { RiskRegisterReader } from '../../ports/risk-register.ts';
import { DynamoTable } from './dynamo-table.ts';
import { keys } from './keys.ts';
import { readCountsShard, readRegisterLine, readReviewDays, REGISTER_COUNT_SHARDS } from './register-items.ts';

export class DynamoRiskRegister extends DynamoTable implements RiskRegisterReader {
  async listRegisterLines(plan: RegisterPlan, page: { limit: number; cursor?: string }): Promise<Page<RegisterLine>> {
    const view = keys.registerView(plan.view);
    const names: Record<string, string> = { '#pk': view.pkName };
    const values: Record<string, unknown> = { ':pk': view.pk };
    let keyCondition = '#pk = :pk';
    const narrow = plan.view === 'rating' && plan.rating ? keys.registerRatingPrefix(plan.rating === 'unrated' ? null : plan.rating) : plan.view === 'tier' && plan.tier ? keys.registerTierPrefix(plan.tier) : null;
    if (narrow) {
      names['#sk'] = view.skName;
      values[':prefix'] = narrow;
      keyCondition += ' AND begins_with(#sk, :prefix)';
    }
    if (plan.view === 'next-review' && plan.onOrBefore) {
      names['#sk'] = view.skName;
      values[':last'] = keys.registerReviewOnOrBefore(plan.onOrBefore);
      keyCondition += ' AND #sk <= :last';
    }
    // Filters the view's key cannot narrow: applied to what it reads (queryPage reads on until the page is full).
    const filters: string[] = [];
    const r = plan.residual;
    if (r.rating || r.tier || r.reviewOnOrBefore) names['#data'] = 'data';
    if (r.rating === 'unrated') {
      names['#rating'] = 'rating';
      values[':nullRating'] = null;
      filters.push('#data.#rating = :nullRating');
    } else if (r.rating) {
      names['#rating'] = 'rating';
      values[':rating'] = r.rating;
      filters.push('#data.#rating = :rating');
    }
    if (r.tier) {
      names['#tier'] = 'tier';
      values[':tier'] = r.tier;
      filters.push('#data.#tier = :tier');
    }
    if (r.reviewOnOrBefore) {
      names['#next'] = 'nextReviewDate';
      values[':onOrBefore'] = r.reviewOnOrBefore;
      filters.push('#data.#next <= :onOrBefore');
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: view.index,
      KeyConditionExpression: keyCondition,
      ScanIndexForward: plan.order === 'asc',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    };
    const result = await this.queryPage(input, page, ['pk', 'sk', view.pkName, view.skName]);
    return { items: result.items.map(readRegisterLine), nextCursor: result.nextCursor };
  }

  async getRegisterLines(vendorIds: string[]): Promise<RegisterLine[]> {
    const unique = [...new Set(vendorIds)].slice(0, 100);
    if (unique.length === 0) return [];
    const lines: RegisterLine[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: unique.map((id) => keys.registerLine(id)) } };
    for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
      const out = await this.call(() => this.client.send(new BatchGetCommand({ RequestItems: request! })));
      lines.push(...(out.Responses?.[this.tableName] ?? []).map(readRegisterLine));
      request = out.UnprocessedKeys as typeof request;
    }
    const order = new Map(unique.map((id, i) => [id, i]));
    return lines.sort((a, b) => order.get(a.vendorId)! - order.get(b.vendorId)!);
  }

  async portfolioCounts(months: string[]): Promise<PortfolioCounts> {
    const shardKeys = Array.from({ length: REGISTER_COUNT_SHARDS }, (_, i) => keys.registerCountsShard(i));
    const dayKeys = Array.from({ length: REGISTER_COUNT_SHARDS }, (_, i) => months.map((month) => keys.registerReviewDays(i, month))).flat();
    const found: Record<string, unknown>[] = [];
    const allKeys = [...shardKeys, ...dayKeys];
    for (let i = 0; i < allKeys.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = { [this.tableName]: { Keys: allKeys.slice(i, i + 100), ConsistentRead: true } };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
        const out = await this.call(() => this.client.send(new BatchGetCommand({ RequestItems: request! })));
        found.push(...(out.Responses?.[this.tableName] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    let summary = emptySummary();
    const reviewDays: Record<string, number> = {};
    const wanted = new Set(months);
    for (const item of found) {
      if (item.entity === 'register-review-days') {
        for (const [date, n] of Object.entries(readReviewDays(item).byDay)) reviewDays[date] = (reviewDays[date] ?? 0) + n;
        continue;
      }
      const shard = readCountsShard(item);
      summary = summaryPlus(summary, shard.summary);
      // A version 1 shard (not yet converted by a write) holds its dates itself.
      for (const [month, byDay] of Object.entries(shard.days ?? {})) {
        if (!wanted.has(month)) continue;
        for (const [date, n] of Object.entries(byDay)) reviewDays[date] = (reviewDays[date] ?? 0) + n;
      }
    }
    return { summary, reviewDays };
  }

  async listFourthParties(sort: 'concentration' | 'name', page: { limit: number; cursor?: string }): Promise<Page<FourthPartyCounts>> {
    const view = keys.fourthPartiesBy(sort);
    const result = await this.queryPage(
      { TableName: this.tableName, IndexName: view.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': view.pkName }, ExpressionAttributeValues: { ':pk': view.pk } },
      page,
      ['pk', 'sk', view.pkName, view.skName],
    );
    return { items: result.items.map(readFourthPartyCounts), nextCursor: result.nextCursor };
  }

  async getFourthParty(providerKey: string): Promise<FourthPartyCounts | null> {
    const item = (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.fourthPartyCounts(providerKey), ConsistentRead: true })))).Item;
    return item ? readFourthPartyCounts(item) : null;
  }

  async listFourthPartyMembers(providerKey: string, page: { limit: number; cursor?: string }): Promise<Page<FourthPartyMember>> {
    const k = keys.fourthPartyMembersOf(providerKey);
    const result = await this.queryPage(
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': k.pk, ':prefix': k.skPrefix } },
      page,
      ['pk', 'sk'],
    );
    return { items: result.items.map(readFourthPartyMember), nextCursor: result.nextCursor };
  }
}
