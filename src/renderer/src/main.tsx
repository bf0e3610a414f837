import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ServerPanel } from './ServerPanel';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServerPanel />
  </StrictMode>,
);
