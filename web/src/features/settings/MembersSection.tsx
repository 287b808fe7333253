import { ActionIcon, Alert, Badge, Button, Group, Paper, Select, Skeleton, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconMail, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Invite, User } from '../../api';
import { CopyField } from '../../components/CopyField';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TimeText } from '../../components/TimeText';
import { useCreateInvite, useDeleteInvite, useInvites, useMembers } from './queries';
import { Section } from './Section';

/** The invite's link as something to paste into a message: absolute, on this server. */
export function absoluteLink(url: string, origin = window.location.origin): string {
  try {
    return new URL(url, origin).toString();
  } catch {
    return url;
  }
}

export function MembersSection({ me }: { me: User }) {
  const isAdmin = me.role === 'admin';
  const members = useMembers();
  const invites = useInvites(isAdmin);
  const create = useCreateInvite();
  const remove = useDeleteInvite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [sent, setSent] = useState<Invite | null>(null);

  return (
    <Section id="members" title="Members" description={`Everyone in ${me.organization.name.replace(/\.$/, '')}. Members see every project; admins also invite people and manage projects.`}>
      {members.isPending ? (
        <Skeleton height={80} />
      ) : members.isError ? (
        <ErrorAlert error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={480} type="native">
            <Table fz="sm" verticalSpacing={6} data-testid="members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Joined</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.data.results.map((m) => (
                  <Table.Tr key={m.id} data-testid="member-row">
                    <Table.Td fw={500}>
                      {m.user.first_name || '—'}
                      {m.user.email === me.email && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          (you)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{m.user.email}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={m.role === 'admin' ? 'indigo' : 'gray'}>
                        {m.role}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <TimeText value={m.joined_at} size="sm" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      {isAdmin ? (
        <Stack gap="sm">
          <Title order={3} size="h4">
            Invite someone
          </Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ target_email: email.trim(), role }, { onSuccess: (inv) => { setSent(inv); setEmail(''); } });
            }}
          >
            <Group align="flex-end" gap="xs" wrap="wrap">
              <TextInput
                label="Email"
                type="email"
                placeholder="colleague@example.com"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                required
                w={{ base: '100%', xs: 280 }}
                data-testid="invite-email"
              />
              <Select
                label="Role"
                value={role}
                onChange={(v) => v && setRole(v as 'member' | 'admin')}
                data={[
                  { value: 'member', label: 'Member' },
                  { value: 'admin', label: 'Admin' },
                ]}
                allowDeselect={false}
                w={130}
                data-testid="invite-role"
              />
              <Button type="submit" leftSection={<IconMail size={16} />} loading={create.isPending} disabled={!email.trim()} data-testid="invite-create">
                Create invitation
              </Button>
            </Group>
          </form>
          <ErrorAlert error={create.error} title="The invitation was not created" />
          {sent && (
            <Alert color="teal" variant="light" title={`Invitation for ${sent.target_email}`} data-testid="invite-created">
              <Stack gap="xs">
                <Text size="sm">Sightline sends no email: copy this link and send it to them. It works once.</Text>
                <CopyField value={absoluteLink(sent.accept_url)} label="Invitation link" testId="invite-link" />
              </Stack>
            </Alert>
          )}
          <Title order={3} size="h4" mt="xs">
            Pending invitations
          </Title>
          {invites.isPending ? (
            <Skeleton height={40} />
          ) : invites.isError ? (
            <ErrorAlert error={invites.error} onRetry={() => invites.refetch()} />
          ) : invites.data.results.length === 0 ? (
            <Text size="sm" c="dimmed">
              None.
            </Text>
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={560} type="native">
                <Table fz="sm" verticalSpacing={6} data-testid="invites">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Email</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th>Link</Table.Th>
                      <Table.Th>Expires</Table.Th>
                      <Table.Th w={48} />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {invites.data.results.map((inv) => (
                      <Table.Tr key={inv.id} data-testid="invite-row">
                        <Table.Td>{inv.target_email}</Table.Td>
                        <Table.Td>{inv.role}</Table.Td>
                        <Table.Td maw={260}>
                          {inv.accept_url ? <CopyField value={absoluteLink(inv.accept_url)} label="Invitation link" /> : <Text size="xs" c="dimmed">shown once, when created</Text>}
                        </Table.Td>
                        <Table.Td>
                          <TimeText value={inv.expires_at} size="sm" />
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label="Delete invitation" withArrow>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Delete the invitation for ${inv.target_email}`}
                              data-testid="invite-delete"
                              onClick={() =>
                                modals.openConfirmModal({
                                  title: `Delete the invitation for ${inv.target_email}?`,
                                  children: <Text size="sm">The link stops working.</Text>,
                                  labels: { confirm: 'Delete invitation', cancel: 'Cancel' },
                                  confirmProps: { color: 'red' },
                                  onConfirm: () => remove.mutate(inv.id),
                                })
                              }
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
          <ErrorAlert error={remove.error} />
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          Ask an admin to invite people.
        </Text>
      )}
    </Section>
  );
}
