// What makes a password too weak to protect a user who may publish to the server.

const MIN_LENGTH = 8;

/** Why the password is too weak, in words for the user; null when it will do. */
export function passwordWeakness(user: string, password: string): string | null {
  if ([...password].length < MIN_LENGTH) return `it has fewer than ${MIN_LENGTH} characters`;
  if (password.toLowerCase().includes(user.toLowerCase())) return 'it contains the user name';
  if (new Set(password).size < 4) return 'it repeats too few different characters';
  return null;
}
