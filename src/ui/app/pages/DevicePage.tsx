// One client's page (issue 16 item 3). Work in progress: the object tree and operations come next.
export function DevicePage({ endpoint }: { readonly endpoint: string }) {
  return (
    <main>
      <h1>{endpoint}</h1>
    </main>
  );
}
