// Production build of the staff console: console/dist/, served by the API at /console/ (see web/vite-app.mjs).
import { browserAppConfig } from '../web/vite-app.mjs';

export default browserAppConfig(import.meta.url, 'console');
