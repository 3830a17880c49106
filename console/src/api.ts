import { createApiClient } from '../../web/api';

export { API, ApiProblem, type CallOptions } from '../../web/api';

/**
 * The console's language, sent as `Accept-Language` with every call: the API's problem messages
 * (and anything else it words) come back in it. The i18n provider keeps it current.
 */
let language = 'vi';
export function setApiLanguage(lang: string): void {
  language = lang;
}

/** The API as the console calls it; without a problem body (a proxy's page), only its status: the console words it. */
const client = createApiClient({
  app: 'console',
  language: () => language,
  wordlessProblem: (res) => ({ type: 'about:blank', title: '', status: res.status, detail: '' }),
});
export const { call, get, post, tokenStore, onUnauthorized } = client;

/**
 * An image the API serves to the signed-in caller (a violation's evidence), as a `data:` URL: an
 * `<img>` cannot send the bearer token, and the console's CSP allows images from `data:`.
 */
export async function imageData(href: string): Promise<string> {
  const blob = await (await client.fetchChecked('GET', href, { accept: 'image/*' })).blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable image')));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable image'));
    reader.readAsDataURL(blob);
  });
}
