import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "JetBrains Mono", Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650', sizes: { h1: { fontSize: '1.5rem' }, h2: { fontSize: '1.25rem' }, h3: { fontSize: '1.05rem' } } },
  cursorType: 'pointer',
  components: {
    Table: { defaultProps: { fz: 'sm' } },
    Tooltip: { defaultProps: { openDelay: 200 } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--sl-page-bg': 'var(--mantine-color-gray-0)', '--sl-new-row': 'rgba(76, 110, 245, 0.16)', '--sl-anon-row': 'rgba(250, 176, 5, 0.08)' },
  dark: { '--sl-page-bg': 'var(--mantine-color-dark-8)', '--sl-new-row': 'rgba(116, 143, 252, 0.25)', '--sl-anon-row': 'rgba(250, 176, 5, 0.07)' },
});
