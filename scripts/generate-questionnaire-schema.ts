/** Writes questionnaires/schema.json from the zod template schema (the one source). Run: npx tsx scripts/generate-questionnaire-schema.ts */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderQuestionnaireJsonSchema } from '../shared/domain/questionnaire/template-schema.ts';

const target = fileURLToPath(new URL('../questionnaires/schema.json', import.meta.url));
writeFileSync(target, renderQuestionnaireJsonSchema());
process.stdout.write(`wrote ${target}\n`);
