/** Where a test event is in its trip: sent, seen back through the events API, or overdue. */
export type TestEventState =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'waiting'; uuid: string; distinctId: string; sentAt: number }
  | { phase: 'arrived'; uuid: string; ms: number }
  | { phase: 'late'; uuid: string };

export const TEST_EVENT_TIMEOUT_MS = 30_000;

export function nextTestEventState(
  state: TestEventState,
  seenUuids: string[],
  now: number,
): TestEventState {
  if (state.phase !== 'waiting') return state;
  if (seenUuids.includes(state.uuid)) return { phase: 'arrived', uuid: state.uuid, ms: Math.max(0, now - state.sentAt) };
  if (now - state.sentAt > TEST_EVENT_TIMEOUT_MS) return { phase: 'late', uuid: state.uuid };
  return state;
}
