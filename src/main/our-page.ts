// Whether a URL shows the studio's own page: the guards on navigation, permissions and IPC all ask this one question.

/**
 * True when `url` is `page` itself (a file: page, query and fragment aside) or on `page`'s origin (the dev server).
 * False for anything else, also for a URL that does not parse or is missing: the callers run inside Electron's
 * handlers, where a throw would reach main's uncaught-exception dialog.
 */
export function isPageAt(page: string, url: string | undefined): boolean {
  if (url === undefined || !URL.canParse(url)) return false;
  const ours = new URL(page);
  const theirs = new URL(url);
  return ours.protocol === 'file:' ? theirs.href.split(/[?#]/)[0] === ours.href : theirs.origin === ours.origin;
}
