import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startEarly } from './boot';
import { queryClient } from './queryClient';

startEarly(queryClient, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
