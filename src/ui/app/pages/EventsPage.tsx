// The live event stream (issue 16 item 6). Work in progress.
export function EventsPage() {
  return (
    <main>
      <h1>Events</h1>
    </main>
  );
}
