/**
 * "page N" next to every quote: opens the stored PDF at that page. The download route takes the staff bearer token and
 * answers a 302 to a short-lived signed URL served as an attachment (S3 in AWS, the local server locally), so a plain
 * link can neither authenticate nor open the file in the viewer. The button fetches the file with the token (the
 * redirect is followed; the bucket allows GET from the app's origin) and opens it as a PDF blob at `#page=N`, which
 * the browser's viewer honours. The tab opens on the click itself, so no pop-up blocker stops it.
 */
import { h } from '../common/dom.ts';
import { getToken } from '../common/session.ts';

/** Where the route serves a document's file. */
export const documentFilePath = (assessmentId: string, documentId: string): string =>
  `/api/assessments/${encodeURIComponent(assessmentId)}/documents/${encodeURIComponent(documentId)}/file`;

async function openAtPage(path: string, page: number, onError: (message: string) => void): Promise<void> {
  const tab = window.open('', '_blank');
  const fail = (message: string) => {
    tab?.close();
    onError(message);
  };
  let res: Response;
  try {
    const token = getToken('staff');
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit', cache: 'no-store' });
  } catch {
    return fail('The PDF could not be fetched: check the connection and try again.');
  }
  if (!res.ok) return fail(`The PDF could not be opened (the server answered ${res.status}).`);
  const url = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/pdf' }));
  if (tab) tab.location.href = `${url}#page=${page}`;
  else window.location.assign(`${url}#page=${page}`);
  // The tab has loaded the blob by then; a long review session should not keep every PDF opened in memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A button that opens the document at the page, named for people who cannot see the quote it follows. */
export function pageButton(assessmentId: string, citation: { documentId: string; fileName: string; page: number }, onError: (message: string) => void): HTMLButtonElement {
  return h('button', {
    type: 'button',
    class: 'link page-link',
    text: `page ${citation.page}`,
    'aria-label': `page ${citation.page} of ${citation.fileName} (opens the PDF)`,
    'data-page': citation.page,
    'data-document': citation.documentId,
    onclick: () => void openAtPage(documentFilePath(assessmentId, citation.documentId), citation.page, onError),
  });
}
