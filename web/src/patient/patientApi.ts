import { ApiError, toProblem } from '../api/problem.js';

export type UploadResult = { side: 'front' | 'back'; contentType: string; size: number };

/** What the server accepts for a card image (it judges the bytes, this only saves a wasted upload). */
export const CARD_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MAX_CARD_BYTES = 10 * 1024 * 1024;

export const cardFileProblem = (file: { type: string; size: number }) =>
  !(CARD_TYPES as readonly string[]).includes(file.type)
    ? 'Choose a JPEG or PNG photo, or a PDF, of your card.'
    : file.size > MAX_CARD_BYTES
      ? 'That file is larger than 10 MB. Choose a smaller photo.'
      : null;

/**
 * Sends the file itself as the body, with XMLHttpRequest because fetch cannot report upload
 * progress; `onProgress` gets a fraction from 0 to 1.
 */
export const uploadCard = (
  token: string,
  side: 'front' | 'back',
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/patient/enrollment/cards/${side}`);
    xhr.setRequestHeader('x-enrollment-token', token);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as UploadResult);
      } else reject(new ApiError(toProblem(xhr.status, xhr.statusText, body)));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({ status: 0, title: 'Upload failed', detail: 'The connection was lost. Try again.' }),
      );
    xhr.send(file);
  });
