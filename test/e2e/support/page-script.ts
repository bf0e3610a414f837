// A function of ours to run in a page, as source text: tsx and other esbuild-based loaders wrap inner functions in
// __name(...) calls that exist only in Node, so the page gets a no-op __name beside the function.

/** `{ content }` for page.addInitScript that calls `fn(arg)` in the page; `arg` must survive JSON. */
export function pageScript<Arg>(fn: (arg: Arg) => void, arg: Arg): { content: string } {
  return { content: `(() => { const __name = (target) => target; (${fn.toString()})(${JSON.stringify(arg)}); })();` };
}
