// Production build of the citizens' portal: portal/dist/, served by the API at /portal/, every page's
// path loading index.html (see web/vite-app.mjs).
import { browserAppConfig } from '../web/vite-app.mjs';

export default browserAppConfig(import.meta.url, 'portal');
