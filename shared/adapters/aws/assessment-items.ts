/** Stored assessments read back: checked against their schema (stored-item.ts). */
import { ASSESSMENT_SCHEMA_VERSION, assessmentRecordSchema, type Assessment } from '../../domain/assessment.ts';
import type { Item } from './dynamo-table.ts';
import { readStored } from './stored-item.ts';

/** A stored assessment (items written before assessments carried a version read as version 1). */
export const readAssessment = (item: Item): Assessment => readStored(item, 'assessment', assessmentRecordSchema, ASSESSMENT_SCHEMA_VERSION, 1);
