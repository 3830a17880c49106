import { mount } from '../../web/mount';
import { App } from './App';
import { I18nProvider } from './i18n';
import './styles.css';

mount(
  <I18nProvider>
    <App />
  </I18nProvider>,
);
