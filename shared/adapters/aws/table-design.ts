/**
 * The single-table design: one source for the DynamoDB adapter, the local table that dynalite serves,
 * and the CDK table. A test checks the CDK template against it.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // The risk register's views (keys.registerLineIndexes); only register lines carry these attributes.
    { indexName: 'register-by-rating', partitionKey: 'registerPk', sortKey: 'registerByRatingSk' },
    { indexName: 'register-by-next-review', partitionKey: 'registerPk', sortKey: 'registerByNextReviewSk' },
    { indexName: 'register-by-tier', partitionKey: 'registerPk', sortKey: 'registerByTierSk' },
    // Sparse: only assessments that are not final carry these (keys.assessmentIndexes).
    { indexName: 'assessments-open', partitionKey: 'openPk', sortKey: 'openSk' },
    { indexName: 'assessments-by-open-status', partitionKey: 'openStatusPk', sortKey: 'openSk' },
    // Sparse: only review schedules carry its keys (the daily sweep's "due by today" query).
    { indexName: 'vendors-by-next-review-due', partitionKey: 'reviewWatchPk', sortKey: 'reviewWatchSk' },
    // Sparse: only open assessments carry its keys, one partition per status (the sweep's unstarted workflows).
    { indexName: 'assessments-by-due-date', partitionKey: 'openDuePk', sortKey: 'openDueSk' },
  ],
  timeToLiveAttribute: 'expiresAtEpoch',
} as const;

export type IndexName = (typeof TABLE_DESIGN.globalIndexes)[number]['indexName'];

/** CreateTable input for the design (used for dynalite; CDK builds the same shape from TABLE_DESIGN). */
export function createTableInput(tableName: string) {
  const keyAttrs = new Set<string>([TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey]);
  for (const gsi of TABLE_DESIGN.globalIndexes) {
    keyAttrs.add(gsi.partitionKey);
    keyAttrs.add(gsi.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyAttrs].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_DESIGN.globalIndexes.map((gsi) => ({
      IndexName: gsi.indexName,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: gsi.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
