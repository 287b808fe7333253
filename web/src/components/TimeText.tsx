import { Text, type TextProps } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { absoluteTime, relativeTime } from '../lib/time';

// One clock for every relative time on the page (a list has hundreds): each re-renders when it
// ticks, so "just now" does not stay forever.
let tick = 0;
const listeners = new Set<() => void>();
let timer: number | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === undefined) {
    timer = window.setInterval(() => {
      tick++;
      listeners.forEach((l) => l());
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}
const useMinuteTick = () => useSyncExternalStore(subscribe, () => tick);

/**
 * "3 min ago", with the exact time on hover: the browser's own tooltip, which costs nothing until
 * shown (a list has a time on every row).
 */
export function TimeText({ value, ...props }: { value: string | null | undefined } & TextProps) {
  useMinuteTick();
  if (!value) return <Text span c="dimmed" {...props}>—</Text>;
  return (
    <Text span {...props}>
      <time dateTime={value} title={absoluteTime(value)}>
        {relativeTime(value)}
      </time>
    </Text>
  );
}
