/** The risk model: residual risk scoring, findings, CUEC tasks and rating overrides. Pure. */
export * from './risk-policy.ts';
export * from './calendar.ts';
export * from './exception-rate.ts';
export * from './questionnaire-evidence.ts';
export * from './evidence-assessment.ts';
export * from './residual-risk.ts';
export * from './issues.ts';
export * from './scope-terms.ts';
export * from './scope-fit.ts';
export * from './findings.ts';
export * from './cuec-tasks.ts';
export * from './rating-override.ts';
