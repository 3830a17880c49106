import { createHash } from 'node:crypto';
import { Evidence } from '../../procedures/traffic-fine/definition';
import type { PrismaClient } from '../../prisma/client';
import { HttpProblem, problems } from '../problem';

/**
 * A traffic violation's evidence image, for the officers deciding on it. The evidence names each
 * image by its sha256 and, where the camera system stores it, its address (`uri`). The API fetches
 * it from there, but only from the image stores the operator lists (`EVIDENCE_ORIGINS`: origins
 * separated by commas, e.g. `https://camera.csgt.example`), and serves it only when its bytes are
 * the evidence (their sha256 is the one posted): the console shows what was posted, nothing else,
 * and no address a camera system gives makes the API call anywhere else.
 */

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
const IMAGE_TYPES = /^image\/(jpeg|png|webp|gif)$/;

export interface EvidenceImage {
  contentType: string;
  bytes: Buffer;
}

const unavailable = (detail: string) => new HttpProblem(502, 'evidence-unavailable', detail);

/** Image `index` of the dossier's evidence, fetched from its store and checked against its sha256. */
export async function evidenceImage(prisma: PrismaClient, dossierId: string, index: number, origins: readonly string[]): Promise<EvidenceImage> {
  const dossier = await prisma.dossier.findUnique({ where: { id: dossierId }, select: { data: true } });
  const evidence = Evidence.safeParse(dossier?.data);
  const image = evidence.success ? evidence.data.evidence[index] : undefined;
  if (!image) throw problems.notFound(`Dossier ${dossierId} has no evidence image ${index}`);
  if (!image.uri) throw problems.notFound(`Evidence image ${index} of dossier ${dossierId} was posted without an address`);
  const url = new URL(image.uri);
  if (!origins.includes(url.origin)) throw problems.notFound(`Evidence image ${index} of dossier ${dossierId} is stored at ${url.origin}, not an image store the API reads (EVIDENCE_ORIGINS)`);
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch((error: unknown) => {
    throw unavailable(`The image store ${url.origin} did not answer: ${error instanceof Error ? error.message : String(error)}`);
  });
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!res.ok || !IMAGE_TYPES.test(contentType)) throw unavailable(`The image store ${url.origin} answered ${res.status} ${contentType || 'without a type'}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_IMAGE_BYTES) throw unavailable(`Evidence image ${index} is larger than ${MAX_IMAGE_BYTES} bytes`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_IMAGE_BYTES) throw unavailable(`Evidence image ${index} is larger than ${MAX_IMAGE_BYTES} bytes`);
  if (createHash('sha256').update(bytes).digest('hex') !== image.sha256.toLowerCase()) {
    throw unavailable(`The image stored for evidence image ${index} is not the one posted (its sha256 differs)`);
  }
  return { contentType, bytes };
}
