import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './app/styles/app.css';
import { resolveBridge } from './app/api/bridge';
import { createClient } from './app/api/client';
import { ApiProvider } from './app/api/hooks';
import { createQueryClient } from './app/api/query-client';
import { App } from './app/shell/App';

const { bridge, connectivity } = resolveBridge();
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

createRoot(container).render(
  <StrictMode>
    <ApiProvider client={createClient(bridge)} connectivity={connectivity} queryClient={createQueryClient()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
