// Bootstrap configs and sessions (issue 16 item 5). Work in progress.
export function BootstrapPage() {
  return (
    <main>
      <h1>Bootstrap</h1>
    </main>
  );
}
