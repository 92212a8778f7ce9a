/** Lambda entry for the workflow's AnalyzeDocument task: the only bundle that carries pdf-parse. */
import { createPdfTextExtractor } from '../shared/adapters/pdf/pdf-text-extractor.ts';
import { analyzeEvidence, type AnalyzeEvidenceEvent } from '../shared/app/analyze-evidence.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config, { textExtractor: createPdfTextExtractor() });

export const handler = (event: AnalyzeEvidenceEvent) => analyzeEvidence(deps, event);
