import { createApiClient } from '../../web/api';
import { languageStore } from './language';

export { API, ApiProblem, type CallOptions } from '../../web/api';

/**
 * The API as the portal calls it, in the portal's language; a refused call without a problem body
 * (a proxy's page) is worded by its status text. The name the sign-in knew of the person (the demo
 * directory) is kept with the token: the identity provider's token carries none.
 */
const client = createApiClient({
  app: 'portal',
  language: () => languageStore.get(),
  wordlessProblem: (res) => ({ type: 'about:blank', title: res.statusText, status: res.status, detail: res.statusText }),
});
export const { call, get, post, tokenStore, onUnauthorized } = client;

/** Bytes from the API (the document as a PDF), with the file name its answer suggests. */
export async function fetchFile(path: string, accept: string): Promise<{ blob: Blob; filename: string | undefined }> {
  const res = await client.send('GET', path, { accept });
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  return { blob: await res.blob(), filename };
}

/** A fresh key for a request that must take effect once (a filing, a payment). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
