import { Text, Tooltip, type TextProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { absoluteTime, relativeTime } from '../lib/time';

/** Re-renders relative times once a minute so "just now" does not stay forever. */
function useMinuteTick() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setTick((t) => t + 1), 30_000);
    return () => window.clearInterval(id);
  }, []);
}

/** "3 min ago", with the exact time on hover. */
export function TimeText({ value, ...props }: { value: string | null | undefined } & TextProps) {
  useMinuteTick();
  if (!value) return <Text span c="dimmed" {...props}>—</Text>;
  return (
    <Tooltip label={absoluteTime(value)} withArrow openDelay={300}>
      <Text span {...props}>
        <time dateTime={value}>{relativeTime(value)}</time>
      </Text>
    </Tooltip>
  );
}
