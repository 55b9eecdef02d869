import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { resolveBridge } from './api/bridge';
import { createClient } from './api/client';
import { ApiProvider } from './api/hooks';
import { createQueryClient } from './api/query-client';
import { App } from './shell/App';

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
