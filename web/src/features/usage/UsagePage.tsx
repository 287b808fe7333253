import { Alert, Anchor, Badge, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { PriceTier, ProjectUsage, UsageKind } from '../../api';
import { CodeBlock } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSkeleton } from '../../components/PageSkeleton';
import { useUrlParams } from '../../lib/urlState';
import { useCurrentProject } from '../shell/context';
import { LimitsEditor } from './LimitsEditor';
import { useUsage } from './queries';
import { UsageChart } from './UsageChart';
import { CHART_KINDS, formatCount, isEmpty, isMonth, KIND_WORDS, money, monthLabel, recentMonths, savingWords } from './usage';

export default function UsagePage() {
  const { project, me } = useCurrentProject();
  const [params, update] = useUrlParams();
  const months = recentMonths();
  const month = isMonth(params.get('month')) ? params.get('month')! : months[0];
  const usage = useUsage(project.id, month);

  return (
    <Stack gap="md" data-testid="usage-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1}>Usage</Title>
          <Text size="sm" c="dimmed">
            Events counted as they arrive, what they cost, and the limits that keep the bill in check.
          </Text>
        </div>
        <Select
          aria-label="Month"
          value={month}
          data={(months.includes(month) ? months : [month, ...months]).map((m) => ({ value: m, label: monthLabel(m) }))}
          onChange={(m) => m && update({ month: m === months[0] ? null : m })}
          allowDeselect={false}
          w={200}
          data-testid="usage-month"
        />
      </Group>
      {usage.isPending ? (
        <PageSkeleton />
      ) : usage.isError ? (
        <ErrorAlert error={usage.error} onRetry={() => usage.refetch()} />
      ) : (
        <UsageReport usage={usage.data} token={project.api_token} projectId={project.id} canEdit={me.role === 'admin'} />
      )}
    </Stack>
  );
}

function UsageReport({ usage, token, projectId, canEdit }: { usage: ProjectUsage; token: string; projectId: number; canEdit: boolean }) {
  const empty = isEmpty(usage);
  return (
    <Stack gap="md">
      {usage.warnings.map((w) => (
        <Alert
          key={w.kind}
          color={w.state === 'reached' ? 'red' : 'yellow'}
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title={w.state === 'reached' ? 'Limit reached' : 'Limit nearly reached'}
          data-testid={`usage-warning-${w.kind}`}
        >
          {w.message}
        </Alert>
      ))}
      {empty ? (
        <EmptyState icon={<IconReceipt size={28} />} title={`Nothing metered in ${monthLabel(usage.month)}`} testId="usage-empty">
          Events are counted here as they are stored, by the day of their timestamp: identified events (with a person profile), anonymous
          ones, and those not billed at all (feature flag calls, surveys, exceptions, AI events).{' '}
          <Anchor component={Link} to={`/project/${projectId}/settings`}>
            Send a first event
          </Anchor>{' '}
          and it shows here.
        </EmptyState>
      ) : (
        <>
          <Counts usage={usage} />
          <Paper withBorder p="md" radius="md">
            <DailyView usage={usage} />
          </Paper>
        </>
      )}
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Title order={2}>Limits</Title>
          <LimitsEditor projectId={projectId} limits={usage.limits} canEdit={canEdit} month={monthLabel(usage.month)} />
        </Stack>
      </Paper>
      <AnonymousEvents usage={usage} token={token} />
      {!empty && <TopEvents usage={usage} />}
      <Prices usage={usage} />
    </Stack>
  );
}

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={650} lh={1.3} data-testid={`${testId}-value`}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </Paper>
  );
}

function Counts({ usage }: { usage: ProjectUsage }) {
  const c = usage.counts;
  const dropped = c.dropped_identified + c.dropped_anonymous;
  const sofar = usage.complete ? 'for the month' : 'so far';
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Stat testId="usage-identified" label="Identified events" value={formatCount(c.identified)} detail={`${money(usage.cost.identified)} ${sofar}`} />
        <Stat testId="usage-anonymous" label="Anonymous events" value={formatCount(c.anonymous)} detail={`${money(usage.cost.anonymous)} ${sofar}`} />
        <Stat testId="usage-not-billed" label="Not billed" value={formatCount(c.not_billed)} detail="Flag calls, surveys, exceptions, AI events" />
        <Stat testId="usage-dropped" label="Dropped by limits" value={formatCount(dropped)} detail={dropped ? 'Refused, not stored' : 'None refused'} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Stat
          testId="usage-cost"
          label={usage.complete ? 'Cost of the month' : 'Cost so far'}
          value={money(usage.cost.total)}
          detail={`The first ${formatCount(usage.prices.anonymous.free_events)} anonymous and ${formatCount(usage.prices.identified.free_events)} identified events of the organization's month are free.`}
        />
        <Stat
          testId="usage-projected"
          label={usage.complete ? 'Month total' : 'Projected month end'}
          value={money(usage.projected.cost.total)}
          detail={
            usage.complete
              ? `${monthLabel(usage.month)} is over.`
              : `${formatCount(usage.projected.counts.identified)} identified and ${formatCount(usage.projected.counts.anonymous)} anonymous events at the last 7 days' rate (${formatCount(Math.round(usage.daily_rate.identified))} and ${formatCount(Math.round(usage.daily_rate.anonymous))} a day).`
          }
        />
      </SimpleGrid>
    </>
  );
}

function DailyView({ usage }: { usage: ProjectUsage }) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const kinds = CHART_KINDS.filter(({ kind }) => usage.daily.some((d) => d[kind] > 0));
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>Events a day</Title>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => setView(v as 'chart' | 'table')}
          data={[
            { value: 'chart', label: 'Chart' },
            { value: 'table', label: 'Table' },
          ]}
          data-testid="usage-view"
        />
      </Group>
      {view === 'chart' ? (
        <UsageChart usage={usage} />
      ) : (
        <Table.ScrollContainer minWidth={480} maxHeight={360}>
          <Table striped data-testid="usage-daily-table" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Day (UTC)</Table.Th>
                {kinds.map((k) => (
                  <Table.Th key={k.kind} ta="right">
                    {k.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {usage.daily.map((d) => (
                <Table.Tr key={d.date}>
                  <Table.Td>{d.date}</Table.Td>
                  {kinds.map((k) => (
                    <Table.Td key={k.kind} ta="right">
                      {formatCount(d[k.kind])}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function AnonymousEvents({ usage, token }: { usage: ProjectUsage; token: string }) {
  const saving = savingWords(usage);
  const host = typeof window === 'undefined' ? 'http://localhost:8000' : window.location.origin;
  const ratio = (() => {
    const a = Number(usage.prices.anonymous.tiers.find((t) => Number(t.price) > 0)?.price ?? 0);
    const i = Number(usage.prices.identified.tiers.find((t) => Number(t.price) > 0)?.price ?? 0);
    return a > 0 && i > 0 ? Math.round(i / a) : null;
  })();
  return (
    <Paper withBorder p="md" radius="md" data-testid="usage-identified-only">
      <Stack gap="xs">
        <Title order={2}>Send anonymous events where no person is needed</Title>
        <Text size="sm">
          An identified event builds a person profile: it is joined to everything else that person did and its properties are kept on
          the profile. An anonymous event is stored the same way but without a profile
          {ratio ? `, and costs about ${ratio} times less` : ''}. Visitors who never sign in rarely need a profile.
        </Text>
        <Text size="sm">
          In posthog-js, set <code>person_profiles: 'identified_only'</code> (its default in recent versions): events are sent anonymously
          until you call <code>identify()</code>, and identified from then on, with the earlier events joined to the person. Server SDKs
          send an event anonymously with the property <code>$process_person_profile: false</code>.
        </Text>
        <CodeBlock
          label="posthog-js"
          code={`posthog.init('${token}', {\n  api_host: '${host}',\n  person_profiles: 'identified_only',\n})`}
        />
        <Text size="sm" fw={500} data-testid="usage-saving">
          {saving ??
            `No identified event of ${monthLabel(usage.month)} came from a person not identified yet: identified_only would change nothing.`}
        </Text>
      </Stack>
    </Paper>
  );
}

const TOP_KINDS: UsageKind[] = ['identified', 'anonymous', 'not_billed', 'dropped_identified', 'dropped_anonymous'];

function TopEvents({ usage }: { usage: ProjectUsage }) {
  const kinds = TOP_KINDS.filter((k) => (usage.top_events[k] ?? []).length > 0);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="md" radius="md">
        <Title order={2} mb="xs">
          Top events
        </Title>
        <Tabs defaultValue={kinds[0]} keepMounted={false}>
          <Tabs.List>
            {kinds.map((k) => (
              <Tabs.Tab key={k} value={k}>
                {KIND_WORDS[k]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {kinds.map((k) => (
            <Tabs.Panel key={k} value={k} pt="xs">
              <Table data-testid={`usage-top-${k}`}>
                <Table.Tbody>
                  {(usage.top_events[k] ?? []).map((e) => (
                    <Table.Tr key={e.event}>
                      <Table.Td style={{ wordBreak: 'break-all' }}>{e.event}</Table.Td>
                      <Table.Td ta="right">{formatCount(e.count)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Tabs.Panel>
          ))}
        </Tabs>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={2} mb="xs">
          By library
        </Title>
        <Table data-testid="usage-libraries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Library ($lib)</Table.Th>
              <Table.Th ta="right">Identified</Table.Th>
              <Table.Th ta="right">Anonymous</Table.Th>
              <Table.Th ta="right">Not billed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.libraries.map((l) => (
              <Table.Tr key={l.lib}>
                <Table.Td>{l.lib || <Text c="dimmed" size="sm">none sent</Text>}</Table.Td>
                <Table.Td ta="right">{formatCount(l.identified)}</Table.Td>
                <Table.Td ta="right">{formatCount(l.anonymous)}</Table.Td>
                <Table.Td ta="right">{formatCount(l.not_billed)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </SimpleGrid>
  );
}

function tierRange(tiers: PriceTier[], i: number): string {
  const from = i === 0 ? 0 : (tiers[i - 1].up_to ?? 0);
  const to = tiers[i].up_to;
  return to === null ? `above ${formatCount(from)}` : `${formatCount(from === 0 ? 1 : from + 1)} – ${formatCount(to)}`;
}

const priceWords = (t: PriceTier) => (Number(t.price) === 0 ? 'free' : `$${t.price}`);

function Prices({ usage }: { usage: ProjectUsage }) {
  const { anonymous, identified } = usage.prices;
  const together =
    anonymous.tiers.length === identified.tiers.length && anonymous.tiers.every((t, i) => t.up_to === identified.tiers[i].up_to);
  const tables = together
    ? [{ label: null, rows: anonymous.tiers.map((t, i) => [tierRange(anonymous.tiers, i), priceWords(t), priceWords(identified.tiers[i])]) }]
    : [
        { label: 'Anonymous', rows: anonymous.tiers.map((t, i) => [tierRange(anonymous.tiers, i), priceWords(t)]) },
        { label: 'Identified', rows: identified.tiers.map((t, i) => [tierRange(identified.tiers, i), priceWords(t)]) },
      ];
  return (
    <Paper withBorder p="md" radius="md" data-testid="usage-prices">
      <Group justify="space-between" mb="xs">
        <Title order={2}>Prices</Title>
        <Badge variant="light" color="gray">
          the organization's month: {formatCount(usage.organization_counts.identified)} identified, {formatCount(usage.organization_counts.anonymous)} anonymous
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Each event costs the price of the tier the organization's monthly count of its kind is in; each project pays its share.
      </Text>
      <SimpleGrid cols={{ base: 1, md: tables.length }}>
        {tables.map((table) => (
          <Table key={table.label ?? 'both'}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Events in the month</Table.Th>
                {table.label === null ? (
                  <>
                    <Table.Th ta="right">Anonymous, each</Table.Th>
                    <Table.Th ta="right">Identified, each</Table.Th>
                  </>
                ) : (
                  <Table.Th ta="right">{table.label}, each</Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((row) => (
                <Table.Tr key={row[0]}>
                  {row.map((cell, i) => (
                    <Table.Td key={i} ta={i === 0 ? undefined : 'right'}>
                      {cell}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ))}
      </SimpleGrid>
    </Paper>
  );
}
