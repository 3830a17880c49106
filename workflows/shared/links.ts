/**
 * The links mails give citizens: their dossier's page on the citizen portal (to follow it, answer
 * a request or a notice, download what was issued) and the public page that checks a document.
 */
export function portalLink(publicBaseUrl: string, dossierId: string): string {
  return `${publicBaseUrl}/portal/dossiers/${dossierId}`;
}

export function verifyLink(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl}/verify/${code}`;
}

/** An issued document's links, as the dossier's result keeps them. */
export function documentLinks(publicBaseUrl: string, dossierId: string, code: string): { verifyUrl: string; downloadUrl: string } {
  return { verifyUrl: verifyLink(publicBaseUrl, code), downloadUrl: portalLink(publicBaseUrl, dossierId) };
}
