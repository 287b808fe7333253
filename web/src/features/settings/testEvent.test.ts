import { describe, expect, it } from 'vitest';
import { nextTestEventState, type TestEventState } from './testEvent';

describe('nextTestEventState', () => {
  const waiting: TestEventState = { phase: 'waiting', uuid: 'u1', distinctId: 'd', sentAt: 1_000 };
  it('measures the trip when the uuid shows up', () => {
    expect(nextTestEventState(waiting, ['x', 'u1'], 1_420)).toEqual({ phase: 'arrived', uuid: 'u1', ms: 420 });
  });
  it('keeps waiting, then gives up after 30 s', () => {
    expect(nextTestEventState(waiting, ['x'], 5_000)).toBe(waiting);
    expect(nextTestEventState(waiting, [], 31_001)).toEqual({ phase: 'late', uuid: 'u1' });
  });
  it('leaves other phases alone', () => {
    const idle: TestEventState = { phase: 'idle' };
    expect(nextTestEventState(idle, ['u1'], 0)).toBe(idle);
  });
});
