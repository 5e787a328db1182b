// Credentials per endpoint (issue 16 item 4). Work in progress.
export function SecurityPage() {
  return (
    <main>
      <h1>Security</h1>
    </main>
  );
}
