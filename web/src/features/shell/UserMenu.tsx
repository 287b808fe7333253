import { Avatar, Group, Menu, SegmentedControl, Text, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { IconChevronUp, IconDeviceDesktop, IconKey, IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { logout, type User } from '../../api';
import { initialOf } from '../../lib/properties';
import { signedOut } from '../auth/session';
import classes from './shell.module.css';

export function UserMenu({ me, projectId }: { me: User; projectId: string }) {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const navigate = useNavigate();
  const client = useQueryClient();
  const name = me.first_name || me.email;

  const signOut = async () => {
    try {
      await logout();
    } finally {
      signedOut(client);
      navigate('/login', { replace: true });
    }
  };

  return (
    <Menu position="top-start" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton className={classes.user} aria-label={`Account menu for ${me.email}`} data-testid="user-menu">
          <Group gap="sm" wrap="nowrap">
            <Avatar radius="xl" size="sm" color="initials" name={name}>
              {initialOf(name)}
            </Avatar>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Text size="sm" fw={500} truncate>
                {name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {me.email}
              </Text>
            </div>
            <IconChevronUp size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Theme</Menu.Label>
        <div style={{ padding: '0 8px 8px' }}>
          <SegmentedControl
            fullWidth
            size="xs"
            value={colorScheme}
            onChange={(v) => setColorScheme(v as MantineColorScheme)}
            aria-label="Theme"
            data-testid="theme-toggle"
            data={[
              { value: 'light', label: <Group gap={4} wrap="nowrap" justify="center"><IconSun size={14} />Light</Group> },
              { value: 'dark', label: <Group gap={4} wrap="nowrap" justify="center"><IconMoon size={14} />Dark</Group> },
              { value: 'auto', label: <Group gap={4} wrap="nowrap" justify="center"><IconDeviceDesktop size={14} />Auto</Group> },
            ]}
          />
        </div>
        <Menu.Divider />
        <Menu.Item leftSection={<IconKey size={14} />} onClick={() => navigate(`/project/${projectId}/settings#personal-api-keys`)}>
          Personal API keys
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={14} />} onClick={signOut} data-testid="sign-out">
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
