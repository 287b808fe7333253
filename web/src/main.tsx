// The entry: small, so it runs as soon as it arrives. It starts the page's data and code
// (early.ts), then loads the app itself (React, Mantine, the shell) beside them.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './index.css';
import { takeBootAnswers } from './api';
import { startPage } from './early';

takeBootAnswers(document);
startPage(window.location);
void import('./bootstrap');
