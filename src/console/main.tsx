import { startUp } from './app/start-up';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/i18n';
import { App } from './app/app';
import { stampStyleNonce } from './components/style-nonce';

/** The nonce the hub put in this response's Content-Security-Policy (Vite's `html.cspNonce` meta tag). */
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
stampStyleNonce(nonce);

void startUp.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App nonce={nonce} />
    </StrictMode>,
  ),
);
