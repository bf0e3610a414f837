// The Studio screen: camera and microphone to the embedded server in one click.
export function StudioScreen() {
  return (
    <section aria-labelledby="studio-title">
      <h2 id="studio-title">Studio</h2>
    </section>
  );
}
