// Reads a chosen PEM file as text, refusing what cannot be one before it goes to main.
import { StudioError } from '../../../../shared/ipc';

/** The PEM text of a file, or a CERTIFICATE_INVALID error that says what is wrong with it. */
export async function readPemFile(file: File, what: 'certificate' | 'private key', maxBytes: number): Promise<string> {
  if (file.size > maxBytes) {
    throw new StudioError('CERTIFICATE_INVALID', `${file.name} is too large for a ${what} (${Math.ceil(file.size / 1024)} KiB).`, `Choose the PEM file of the ${what}, at most ${maxBytes / 1024} KiB.`);
  }
  const text = await file.text();
  if (!text.includes('-----BEGIN ')) {
    throw new StudioError(
      'CERTIFICATE_INVALID',
      `${file.name} is not a PEM file: it has no "-----BEGIN" line.`,
      `Export the ${what} as PEM (Base64 text), not DER or PKCS#12, and choose that file.`,
    );
  }
  return text;
}
