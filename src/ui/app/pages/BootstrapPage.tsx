// Bootstrap configs and sessions (issue 16 item 5): the configs listed a page at a time with a
// filter; #/bootstrap/<endpoint> opens a config in the editor (form and JSON tabs) beside the live
// timeline of that endpoint's bootstrap sessions; #/bootstrap?new starts a new config.
import { useSignal } from '@preact/signals';
import { ConfigEditor } from '../bootstrap/ConfigEditor.js';
import { ConfigList } from '../bootstrap/ConfigList.js';
import { SessionTimeline } from '../bootstrap/SessionTimeline.js';
import { route } from '../router.js';
import '../security/security.css';
import '../bootstrap/bootstrap.css';

export function BootstrapPage() {
  const reloads = useSignal(0);
  const selected = route.value.segments[1];
  const creating = selected === undefined && route.value.query.has('new');
  return (
    <main class="bootstrap-page">
      <h1>Bootstrap</h1>
      <div class="bootstrap-layout">
        <ConfigList selected={selected} reloads={reloads.value} />
        <div>
          {(selected !== undefined || creating) && (
            <ConfigEditor key={selected ?? '(new)'} endpoint={selected} onSaved={() => reloads.value++} />
          )}
          {selected !== undefined && <SessionTimeline key={selected} endpoint={selected} />}
          {selected === undefined && !creating && <p class="muted">Choose a config, or start a new one.</p>}
        </div>
      </div>
    </main>
  );
}
