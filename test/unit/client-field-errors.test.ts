/** Where a problem's field errors are shown: on the control they name, in words, the rest in the summary. */
import { describe, expect, it } from 'vitest';
import { placeFieldErrors, sentenceOf } from '../../shared/http/pages/client/common/field-errors.ts';
import type { Problem } from '../../shared/http/pages/client/api-types.ts';

const problem = (errors: { path: string; message: string }[]): Problem => ({ type: 'about:blank', title: 'Invalid request', status: 400, code: 'validation-failed', errors });

describe('field errors', () => {
  it('puts each error on the control its path names, nested paths on the closest control', () => {
    const placed = placeFieldErrors(problem([
      { path: 'contactEmail', message: 'Invalid email address' },
      { path: 'conditions[0].dueDate', message: 'must be a date' },
      { path: 'services.2', message: 'too long' },
    ]), ['contactEmail', 'conditions', 'services', 'name']);
    expect(placed.byField).toEqual({ contactEmail: ['Invalid email address.'], conditions: ['Must be a date.'], services: ['Too long.'] });
    expect(placed.unplaced).toEqual([]);
  });

  it('prefers the longest matching control name and follows aliases', () => {
    const placed = placeFieldErrors(problem([{ path: 'conditions[0].dueDate', message: 'x' }, { path: 'comment', message: 'Required' }]), ['conditions', 'conditions[0].dueDate', 'justification'], { aliases: { comment: 'justification' } });
    expect(placed.byField).toEqual({ 'conditions[0].dueDate': ['X.'], justification: ['This field is required.'] });
  });

  it('names the field by its label in the summary when no control matches, never a bare "(body)"', () => {
    const placed = placeFieldErrors(problem([{ path: 'tier', message: 'Invalid enum value' }, { path: '(body)', message: 'expected object' }]), ['name'], { labels: { tier: 'Tier' } });
    expect(placed.unplaced).toEqual(['Tier: Invalid enum value.', 'Expected object.']);
  });

  it('says a message once when a value fails two checks with the same words', () => {
    const placed = placeFieldErrors(problem([
      { path: 'conditions.0.dueDate', message: 'a calendar date written YYYY-MM-DD' },
      { path: 'conditions.0.dueDate', message: 'a calendar date written YYYY-MM-DD' },
      { path: 'tier', message: 'bad' },
      { path: 'tier', message: 'bad' },
    ]), ['conditions.0.dueDate']);
    expect(placed.byField).toEqual({ 'conditions.0.dueDate': ['A calendar date written YYYY-MM-DD.'] });
    expect(placed.unplaced).toEqual(['tier: Bad.']);
  });

  it('writes messages as sentences', () => {
    expect(sentenceOf('Required')).toBe('This field is required.');
    expect(sentenceOf('Expected string, received undefined')).toBe('This field is required.');
    expect(sentenceOf('must be at most 200 characters.')).toBe('Must be at most 200 characters.');
    expect(sentenceOf('')).toBe('This value is not accepted.');
  });

  it('answers nothing for a problem without field errors', () => {
    expect(placeFieldErrors(null, ['a'])).toEqual({ byField: {}, unplaced: [] });
  });
});
