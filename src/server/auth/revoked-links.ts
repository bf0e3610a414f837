import { isFingerprint } from './fingerprint';

/** A signed link revoked before its exp: its signature's fingerprint, kept until exp passes. */
export interface RevokedLinkRecord {
  fingerprint: string;
  /** The link's own exp, UNIX seconds: after it the link is refused anyway and the entry can go. */
  exp: number;
}

/** Signed links revoked one by one; a signing key revocation stops all of them, this stops one. */
export class RevokedLinks {
  private readonly links = new Map<string, number>();

  constructor(records: readonly RevokedLinkRecord[] = []) {
    records.forEach((record, index) => {
      const { fingerprint, exp } = record as Partial<RevokedLinkRecord>;
      if (!isFingerprint(fingerprint)) throw new RangeError(`revokedLinks[${index}].fingerprint must be a SHA-256 in Base64url`);
      if (!Number.isSafeInteger(exp) || (exp as number) < 0) throw new RangeError(`revokedLinks[${index}].exp must be UNIX seconds`);
      this.links.set(fingerprint, exp as number);
    });
  }

  revoke(fingerprint: string, exp: number): void {
    this.links.set(fingerprint, exp);
  }

  has(fingerprint: string): boolean {
    return this.links.has(fingerprint);
  }

  /** Forgets links whose exp has passed (the server refuses them as expired); true when any went. */
  prune(nowSeconds: number): boolean {
    const before = this.links.size;
    for (const [fingerprint, exp] of this.links) if (exp < nowSeconds) this.links.delete(fingerprint);
    return this.links.size !== before;
  }

  toJSON(): RevokedLinkRecord[] {
    return [...this.links].map(([fingerprint, exp]) => ({ fingerprint, exp }));
  }
}
