import { createRoot } from 'react-dom/client';
import { createApi } from '@web/api/client';
import { SessionStore } from '@web/api/session';
import { App } from './App';

const api = createApi({ store: new SessionStore(window.sessionStorage) });
createRoot(document.getElementById('root')!).render(<App api={api} />);
