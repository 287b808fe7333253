import { describe as suite, expect, it } from 'vitest';
import type { CohortCriterion, CohortGroup } from '../../api/cohorts';
import { behaviourChoice, cleaned, describe, emptyDefinition, fromFilters, newCriterion, withBehaviour } from './model';

const behavioral = newCriterion('behavioral') as Extract<CohortCriterion, { type: 'behavioral' }>;

suite('cohort definition model', () => {
  it('drops unfinished criteria and empty groups before sending', () => {
    const def: CohortGroup = {
      type: 'OR',
      values: [
        { type: 'AND', values: [newCriterion('person'), behavioral] },
        { type: 'AND', values: [newCriterion('cohort')] },
      ],
    };
    expect(cleaned(def)).toEqual({ properties: { type: 'OR', values: [{ type: 'AND', values: [behavioral] }] } });
    expect(cleaned({ type: 'OR', values: [{ type: 'AND', values: [newCriterion('person')] }] })).toBeNull();
  });

  it('reads "did not perform" as a negated performed_event and back', () => {
    const not = withBehaviour(behavioral, 'not_performed_event') as typeof behavioral;
    expect(not).toMatchObject({ value: 'performed_event', negation: true });
    expect(behaviourChoice(not)).toBe('not_performed_event');
    expect(behaviourChoice(withBehaviour(not, 'performed_event') as typeof behavioral)).toBe('performed_event');
  });

  it('gives each behaviour the fields it needs', () => {
    expect(withBehaviour(behavioral, 'performed_event_multiple')).toMatchObject({ operator: 'gte', operator_value: 3 });
    expect(withBehaviour(behavioral, 'stopped_performing_event')).toMatchObject({ seq_time_value: 7, seq_time_interval: 'day' });
    expect(withBehaviour(behavioral, 'performed_event_regularly')).toMatchObject({ min_periods: 3, total_periods: 4, time_interval: 'week' });
  });

  it('puts criteria found at the top level into groups of their own', () => {
    const person = { type: 'person' as const, key: 'plan', operator: 'exact', value: 'pro' };
    expect(fromFilters({ properties: { type: 'AND', values: [person] } })).toEqual({ type: 'AND', values: [{ type: 'AND', values: [person] }] });
    expect(fromFilters(null)).toEqual(emptyDefinition());
  });

  it('says a criterion in words', () => {
    expect(describe(withBehaviour(behavioral, 'performed_event_multiple'))).toBe('performed $pageview at least 3 times in the last 30 days');
    expect(describe({ type: 'cohort', key: 'id', value: 4, negation: true }, () => 'Power users')).toBe('not in Power users');
  });
});
